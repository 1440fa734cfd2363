package org.hypertube.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.hypertube.system.SiteLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Proving an address: a single-use link that expires, mailed at sign-up and at every change of
 * address. Only the newest link of a member works, and only for the address it was sent to.
 * Until then the member may sign in and watch; their address is not trusted to link an OAuth2
 * sign-in to their account ({@link AccountService#signInWith}).
 */
@Service
public class EmailVerification {

    private static final Logger log = LoggerFactory.getLogger(EmailVerification.class);

    private final MemberRepository members;
    private final JdbcTemplate jdbc;
    private final EmailVerificationTokenRepository tokens;
    private final AccountProperties properties;
    private final AccountMail mail;
    private final ResetMailLimit limit;
    private final SiteLinks site;
    private final Clock clock;

    EmailVerification(MemberRepository members, EmailVerificationTokenRepository tokens, AccountProperties properties,
                      AccountMail mail, ResetMailLimit limit, SiteLinks site, Clock clock, JdbcTemplate jdbc) {
        this.members = members;
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.properties = properties;
        this.mail = mail;
        this.limit = limit;
        this.site = site;
        this.clock = clock;
    }

    /** Whether this member has yet to confirm their address (for the banner on every page). */
    public boolean pending(long memberId) {
        // One column in plain SQL: loading the member in a transaction cost 4 % of a page in bench/catalog.
        return jdbc.queryForList("select email_verified from members where id = ?", Boolean.class, memberId).stream()
                .findFirst().map(verified -> !verified).orElse(false);
    }

    /** Mails a new link for the member's current address; earlier links stop working. */
    @Transactional
    void send(Member member) {
        Instant now = clock.instant();
        tokens.deleteForMemberOrExpired(member.getId(), now);
        String token = SecretTokens.newToken();
        tokens.save(new EmailVerificationToken(SecretTokens.hash(token), member.getId(), member.getEmailKey(),
                now.plus(properties.verifyTokenTtl())));
        String link = site.link(UriComponentsBuilder.fromPath("/email/verify").queryParam("token", token).build().toUriString());
        mail.send(member.getId(), member.getEmail(), Locale.forLanguageTag(member.getLanguage()), "verify.mail",
                "e-mail verification link", member.getFirstName(), link, properties.verifyTokenTtl().toHours());
    }

    /** The member asked for the link again; at most a few mails an hour reach them, like reset links. */
    @Transactional
    void resend(long memberId) {
        members.findById(memberId).filter(m -> !m.isEmailVerified()).ifPresent(m -> {
            if (limit.toMember(memberId)) {
                send(m);
            } else {
                log.warn("verification link not sent again: member {} was sent enough mails this hour", memberId);
            }
        });
    }

    /** Someone tried to sign up with the address of this member: they are told, nobody else is. */
    void tellOwnerOfSignupAttempt(Member owner) {
        if (!limit.toMember(owner.getId())) {
            log.warn("sign-up attempt notice not sent: member {} was sent enough mails this hour", owner.getId());
            return;
        }
        mail.send(owner.getId(), owner.getEmail(), Locale.forLanguageTag(owner.getLanguage()), "signupAttempt.mail",
                "sign-up attempt notice", owner.getFirstName(), site.link("/login"), site.link("/password/forgot"));
    }

    /** Confirms the address the link was sent to, if it is still the member's and the link is theirs, unused and fresh. */
    @Transactional
    boolean verify(String token, long memberId) {
        if (!SecretTokens.plausible(token)) {
            return false;
        }
        Instant now = clock.instant();
        var found = tokens.findById(SecretTokens.hash(token)).filter(t -> t.usableAt(now) && t.memberId() == memberId);
        if (found.isEmpty()) {
            return false;
        }
        Member member = members.findById(memberId).orElseThrow();
        if (!member.getEmailKey().equals(found.get().emailKey())) {
            return false;
        }
        member.markEmailVerified();
        found.get().useAt(now);
        log.info("member {} confirmed their e-mail address", memberId);
        return true;
    }
}
