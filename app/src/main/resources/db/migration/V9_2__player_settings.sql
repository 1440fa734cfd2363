-- (9_2: reserved for the player this session.) How a member likes subtitles drawn in the player: the
-- size and the background behind the text, kept across devices. One row per member who changed them;
-- none means the defaults (M, HALF).
create table player_settings (
    member_id           bigint not null primary key references members (id) on delete cascade,
    subtitle_size       varchar(8) not null,
    subtitle_background varchar(8) not null
);
