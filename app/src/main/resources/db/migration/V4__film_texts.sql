-- Titles and summaries in the languages other than English that a source (TMDB) gave us.
create table film_texts (
    film_id   bigint       not null references films (id) on delete cascade,
    language  varchar(8)   not null,
    title     varchar(300),
    summary   varchar(4000),
    primary key (film_id, language)
);
