-- (8_3: 8_2 is the cluster branch's authorization lookups.) When a film was last read by a viewer on any instance (issue 21, review #4): retention, the disk quota and a
-- removal asked of the owner spare a film another instance is streaming. Written at most once a minute per
-- film and instance, in the database's time.
create table film_use (
    info_hash  varchar(40) not null primary key,
    used_at    timestamp with time zone not null
);

-- A removal asked by retention or the disk quota waits while anyone reads the film (remove_if_unused); an
-- administrator's is done at once.
alter table download_leases add column remove_if_unused boolean not null default false;
