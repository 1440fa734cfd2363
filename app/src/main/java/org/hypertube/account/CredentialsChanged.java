package org.hypertube.account;

/**
 * A member's password or role changed: whatever acted for them before (sessions, issued OAuth2
 * authorizations and their refresh tokens) must stop. Published inside the change's transaction.
 */
public record CredentialsChanged(long memberId) {
}
