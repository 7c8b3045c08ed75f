-- A resource for SqlTest.
SELECT 1 AS one
