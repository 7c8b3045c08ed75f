-- Replaces the rule set in force: one row per rule, all of one version; the three arrays are the
-- rules' columns, of equal length.
INSERT INTO test_load_rules (version, kind, glob, like_pattern)
SELECT fromUnixTimestamp64Micro({version_us:Int64}, 'UTC'), kind, glob, like_pattern
FROM (SELECT {kinds:Array(String)} AS kinds, {globs:Array(String)} AS globs,
             {like_patterns:Array(String)} AS like_patterns)
ARRAY JOIN kinds AS kind, globs AS glob, like_patterns AS like_pattern
