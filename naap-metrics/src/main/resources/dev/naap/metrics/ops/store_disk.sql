-- The space of the store's default disk, which is also proof that the store answers, and the
-- parts of this database the engine set aside as damaged (docs/OPERATIONS.md, "Damaged parts"):
-- their rows are read by nothing until they are restored.
SELECT free_space, total_space,
       (SELECT count() FROM system.detached_parts
        WHERE database = currentDatabase() AND startsWith(reason, 'broken')) AS damaged_parts
FROM system.disks WHERE name = 'default'
