-- The authorization server's token look-ups and purge (api.MemberAuthorizations, api.AuthorizationPurge).
-- Runs on H2 and PostgreSQL.
--
-- Tokens are looked up by the SHA-256 (hex) of their value, in indexed columns of 64 characters: the values
-- themselves (JWTs of a kilobyte or more) are too long for a b-tree index entry on PostgreSQL.
alter table oauth2_authorization add column authorization_code_sha256 varchar(64) default null;
alter table oauth2_authorization add column access_token_sha256 varchar(64) default null;
alter table oauth2_authorization add column refresh_token_sha256 varchar(64) default null;
create index oauth2_authorization_code_sha256_idx on oauth2_authorization (authorization_code_sha256);
create index oauth2_authorization_access_sha256_idx on oauth2_authorization (access_token_sha256);
create index oauth2_authorization_refresh_sha256_idx on oauth2_authorization (refresh_token_sha256);

-- When the row was first written (the store's insert leaves it to this default, its updates keep it): an
-- authorization with no token yet (a consent under way) is purged a day after it began.
alter table oauth2_authorization add column saved_at timestamp with time zone default current_timestamp not null;
