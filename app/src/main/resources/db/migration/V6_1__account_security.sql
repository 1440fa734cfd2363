-- Account security (issue 19). Versioned 6.1, not 6, so that it cannot collide with another branch's V6.
-- Runs on H2 (embedded default, MODE=PostgreSQL) and on PostgreSQL: keep to the SQL both speak.

-- Whether the member proved they receive mail at their address. Accounts that exist when this runs
-- are treated as verified (they were made before verification existed); new rows say so explicitly.
alter table members add column email_verified boolean not null default true;
alter table members alter column email_verified set default false;

-- Raised when the password or the role changes: sessions and tokens of an older version are ended.
alter table members add column credentials_version integer not null default 0;

-- Links that confirm an address, stored only as their SHA-256, for the address they were sent to.
create table email_verification_tokens (
    token_hash  varchar(64)  primary key,
    member_id   bigint       not null references members (id) on delete cascade,
    email_key   varchar(254) not null,
    expires_at  timestamp with time zone not null,
    used_at     timestamp with time zone
);
create index email_verification_tokens_member_idx on email_verification_tokens (member_id);
