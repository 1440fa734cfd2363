package org.hypertube.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.hypertube.system.SiteLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Forgotten passwords: a single-use link that expires, sent by e-mail (or written to the log when no
 * SMTP server is configured). The caller never learns whether an address is known.
 */
@Service
class PasswordReset {

    private static final Logger log = LoggerFactory.getLogger(PasswordReset.class);

    private final MemberRepository members;
    private final PasswordResetTokenRepository tokens;
    private final AccountService accounts;
    private final AccountProperties properties;
    private final SiteLinks site;
    private final AccountMail mail;
    private final Clock clock;
    private final ResetMailLimit limit;

    PasswordReset(MemberRepository members, PasswordResetTokenRepository tokens, AccountService accounts,
                  AccountProperties properties, SiteLinks site, AccountMail mail, Clock clock, ResetMailLimit limit) {
        this.members = members;
        this.tokens = tokens;
        this.accounts = accounts;
        this.properties = properties;
        this.site = site;
        this.mail = mail;
        this.clock = clock;
        this.limit = limit;
    }

    /**
     * Sends a reset link to the member with this e-mail or username, if there is one and neither they
     * nor the client address (may be null) asked too often this hour (see {@link ResetMailLimit}).
     */
    @Transactional
    public void request(String emailOrUsername, String clientAddress) {
        if (emailOrUsername == null || emailOrUsername.isBlank() || emailOrUsername.length() > 254) {
            return;
        }
        if (!limit.fromAddress(clientAddress)) {
            log.warn("password reset refused: {} asked too often this hour", clientAddress);
            return;
        }
        String key = Member.key(emailOrUsername);
        Optional<Member> member = members.findByEmailKey(key).or(() -> members.findByUsernameKey(key));
        if (member.isEmpty()) {
            log.info("password reset asked for an unknown address or username");
            return;
        }
        Member m = member.get();
        if (!limit.toMember(m.getId())) {
            log.warn("password reset refused: member {} was sent enough links this hour", m.getId());
            return;
        }
        Instant now = clock.instant();
        tokens.deleteForMemberOrExpired(m.getId(), now); // only the newest link works
        String token = SecretTokens.newToken();
        tokens.save(new PasswordResetToken(SecretTokens.hash(token), m.getId(), now.plus(properties.resetTokenTtl())));
        String link = site.link(UriComponentsBuilder.fromPath("/password/reset").queryParam("token", token).build().toUriString());
        // Sent off the request thread, so the answer takes as long whether or not the address is known.
        mail.send(m.getId(), m.getEmail(), Locale.forLanguageTag(m.getLanguage()), "reset.mail", "password reset link",
                m.getFirstName(), link, properties.resetTokenTtl().toMinutes());
    }

    /** Whether the link's token can still be used (for showing the form). */
    @Transactional(readOnly = true)
    public boolean usable(String token) {
        return find(token).isPresent();
    }

    /** Sets the new password and spends the token; false when the token is unknown, used or expired. */
    @Transactional
    public boolean reset(String token, String password) {
        var found = find(token);
        if (found.isEmpty()) {
            return false;
        }
        PasswordResetToken t = found.get();
        Member member = members.findById(t.memberId()).orElseThrow();
        accounts.replacePassword(member, password); // ends the member's sessions and revokes their tokens
        accounts.addressClaimedByOwner(member); // the link reached the address: what an earlier sign-up attached goes
        t.useAt(clock.instant());
        log.info("member {} reset their password", member.getId());
        return true;
    }

    private Optional<PasswordResetToken> find(String token) {
        if (!SecretTokens.plausible(token)) {
            return Optional.empty();
        }
        return tokens.findById(SecretTokens.hash(token)).filter(t -> t.usableAt(clock.instant()));
    }
}
