-- What several instances must share (README, "Several instances"). Runs on H2 and PostgreSQL.

-- Members' web sessions (Spring Session JDBC's own schema, PostgreSQL flavour), used in cluster mode only
-- (HYPERTUBE_CLUSTER=true); a single instance keeps them in memory and leaves these tables empty.
create table spring_session (
    primary_id            char(36)     not null,
    session_id            char(36)     not null,
    creation_time         bigint       not null,
    last_access_time      bigint       not null,
    max_inactive_interval int          not null,
    expiry_time           bigint       not null,
    principal_name        varchar(100),
    constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id char(36)     not null,
    attribute_name     varchar(200) not null,
    attribute_bytes    bytea        not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id)
        references spring_session (primary_id) on delete cascade
);

-- The authorization server's issued authorizations (codes, access and refresh tokens) and consents:
-- Spring Authorization Server's schema with its blob columns as long varchar (comparable with = on both
-- databases, as its token look-ups need) and its timestamps with time zone. member_id is ours: the member
-- an authorization acts for, so a password or role change revokes all of theirs (api.MemberAuthorizations).
create table oauth2_authorization (
    id                            varchar(100)  not null,
    registered_client_id          varchar(100)  not null,
    principal_name                varchar(200)  not null,
    authorization_grant_type      varchar(100)  not null,
    authorized_scopes             varchar(1000) default null,
    attributes                    varchar(1000000) default null,
    state                         varchar(500)  default null,
    authorization_code_value      varchar(1000000) default null,
    authorization_code_issued_at  timestamp with time zone default null,
    authorization_code_expires_at timestamp with time zone default null,
    authorization_code_metadata   varchar(1000000) default null,
    access_token_value            varchar(1000000) default null,
    access_token_issued_at        timestamp with time zone default null,
    access_token_expires_at       timestamp with time zone default null,
    access_token_metadata         varchar(1000000) default null,
    access_token_type             varchar(100)  default null,
    access_token_scopes           varchar(1000) default null,
    oidc_id_token_value           varchar(1000000) default null,
    oidc_id_token_issued_at       timestamp with time zone default null,
    oidc_id_token_expires_at      timestamp with time zone default null,
    oidc_id_token_metadata        varchar(1000000) default null,
    refresh_token_value           varchar(1000000) default null,
    refresh_token_issued_at       timestamp with time zone default null,
    refresh_token_expires_at      timestamp with time zone default null,
    refresh_token_metadata        varchar(1000000) default null,
    user_code_value               varchar(1000000) default null,
    user_code_issued_at           timestamp with time zone default null,
    user_code_expires_at          timestamp with time zone default null,
    user_code_metadata            varchar(1000000) default null,
    device_code_value             varchar(1000000) default null,
    device_code_issued_at         timestamp with time zone default null,
    device_code_expires_at        timestamp with time zone default null,
    device_code_metadata          varchar(1000000) default null,
    member_id                     bigint        default null,
    constraint oauth2_authorization_pk primary key (id)
);
create index oauth2_authorization_member_idx on oauth2_authorization (member_id);
create index oauth2_authorization_state_idx on oauth2_authorization (state);

create table oauth2_authorization_consent (
    registered_client_id varchar(100)  not null,
    principal_name       varchar(200)  not null,
    authorities          varchar(1000) not null,
    constraint oauth2_authorization_consent_pk primary key (registered_client_id, principal_name)
);

-- The key that signs access tokens (a JWK with its private part), one row: the first instance to start
-- inserts it, every other reads it, so a token from one instance is valid on all (api.SigningKey).
create table oauth2_signing_key (
    id         int           not null,
    jwk        varchar(10000) not null,
    created_at timestamp with time zone not null,
    constraint oauth2_signing_key_pk primary key (id),
    constraint oauth2_signing_key_one_row check (id = 1)
);
