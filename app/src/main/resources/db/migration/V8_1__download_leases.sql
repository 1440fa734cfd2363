-- Several instances on one database (issue 21). Numbered 8_1 so that the cluster branch's own migration
-- (sessions, the authorization server) can take 7_x without a clash.

-- Who runs each torrent: one instance at a time holds a download's lease (renewed every lease/3), and
-- only the holder has the torrent in its engine. Other instances read the film from the holder's cluster
-- address; when the lease expires (the holder died) another instance takes it and resumes the torrent
-- from the shared media folder. remove_reason: another instance asked the holder to delete the download
-- (retention, the disk quota, an administrator), which the holder does on its next upkeep.
create table download_leases (
    info_hash      varchar(40)  not null primary key,
    owner          varchar(200) not null,
    address        varchar(500),
    expires_at     timestamp with time zone not null,
    remove_reason  varchar(200)
);

-- ShedLock (JdbcTemplateLockProvider): jobs over the whole catalog (retention, the disk quota) run on one
-- instance at a time. The layout is ShedLock's own.
create table shedlock (
    name        varchar(64)  not null primary key,
    lock_until  timestamp    not null,
    locked_at   timestamp    not null,
    locked_by   varchar(255) not null
);
