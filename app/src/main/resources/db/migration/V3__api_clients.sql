-- OAuth2 clients of the REST API, in the layout Spring Authorization Server's JdbcRegisteredClientRepository
-- reads (its own schema, with time zones so instants survive on PostgreSQL).
create table oauth2_registered_client (
    id                            varchar(100)  not null primary key,
    client_id                     varchar(100)  not null,
    client_id_issued_at           timestamp with time zone default current_timestamp not null,
    client_secret                 varchar(200),
    client_secret_expires_at      timestamp with time zone,
    client_name                   varchar(200)  not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types     varchar(1000) not null,
    redirect_uris                 varchar(1000),
    post_logout_redirect_uris     varchar(1000),
    scopes                        varchar(1000) not null,
    client_settings               varchar(2000) not null,
    token_settings                varchar(2000) not null,
    constraint oauth2_registered_client_client_id_uq unique (client_id)
);

-- Who created which client (the operator's client from the environment has no owner).
create table api_clients (
    registered_client_id varchar(100) not null primary key references oauth2_registered_client (id) on delete cascade,
    member_id            bigint       not null references members (id) on delete cascade,
    created_at           timestamp with time zone not null
);
create index api_clients_member_idx on api_clients (member_id);
