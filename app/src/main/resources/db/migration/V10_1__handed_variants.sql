-- (10_1: reserved for authz20.) The converted variants of a film the last Play or status handed out to a
-- member (review of issue 20, item 6): /films/{id}/hls/{variant}/ serves only these, so a member cannot start
-- conversions nobody offered them. In the database so that any instance serves what another handed out (the
-- instances need no sticky sessions). One row per member and film; an empty list after a direct play.
create table handed_variants (
    member_id bigint not null references members (id) on delete cascade,
    film_id   bigint not null,
    variants  varchar(200) not null,
    primary key (member_id, film_id)
);
