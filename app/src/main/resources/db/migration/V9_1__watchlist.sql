-- (9_1, issue 20) Each member's watchlist: films they mean to watch, newest first on the home page and /watchlist.
create table watchlist (
    member_id  bigint not null references members (id) on delete cascade,
    film_id    bigint not null references films (id) on delete cascade,
    added_at   timestamp with time zone not null,
    primary key (member_id, film_id)
);
create index watchlist_member_added_idx on watchlist (member_id, added_at);

-- The "ready now" row reads the newest completed downloads (no partial index: the H2 default has none).
create index downloads_state_completed_idx on downloads (state, completed_at);
