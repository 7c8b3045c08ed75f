-- The space of the store's default disk, which is also proof that the store answers.
SELECT free_space, total_space FROM system.disks WHERE name = 'default'
