package org.hypertube.account;

/**
 * The owner of a member's address proved it (a password reset link) while it was still unconfirmed: what
 * was attached to the account before may be the work of whoever signed up with that address, so the
 * member's API clients must go (the provider identities are removed by {@link AccountService}).
 * Published inside the reset's transaction, after {@link CredentialsChanged}.
 */
public record AddressClaimed(long memberId) {
}
