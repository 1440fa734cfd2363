-- (11_4: loose ends of issue 20.) When the variants were last handed, so that rows of films nobody was handed
-- for a week, and of films whose download is gone, are swept (HandedVariants.sweep) instead of living as long
-- as the member. Rows already here count as handed now.
alter table handed_variants add column handed_at timestamp with time zone not null default current_timestamp;
