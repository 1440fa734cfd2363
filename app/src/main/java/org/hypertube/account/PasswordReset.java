package org.hypertube.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.hypertube.system.SiteLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
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
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MemberRepository members;
    private final PasswordResetTokenRepository tokens;
    private final AccountService accounts;
    private final AccountProperties properties;
    private final SiteLinks site;
    private final ObjectProvider<JavaMailSender> mail;
    private final String smtpHost;
    private final MessageSource messages;
    private final Clock clock;
    private final ResetMailLimit limit;

    PasswordReset(MemberRepository members, PasswordResetTokenRepository tokens, AccountService accounts,
                  AccountProperties properties, SiteLinks site, ObjectProvider<JavaMailSender> mail,
                  @Value("${spring.mail.host:}") String smtpHost, MessageSource messages, Clock clock,
                  ResetMailLimit limit) {
        this.members = members;
        this.tokens = tokens;
        this.accounts = accounts;
        this.properties = properties;
        this.site = site;
        this.mail = mail;
        this.smtpHost = smtpHost;
        this.messages = messages;
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
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.save(new PasswordResetToken(hash(token), m.getId(), now.plus(properties.resetTokenTtl())));
        String link = site.link(UriComponentsBuilder.fromPath("/password/reset").queryParam("token", token).build().toUriString());
        // Sent off the request thread, so the answer takes as long whether or not the address is known.
        long id = m.getId();
        String email = m.getEmail();
        String firstName = m.getFirstName();
        Locale locale = Locale.forLanguageTag(m.getLanguage());
        Thread.ofVirtual().name("reset-mail-" + id).start(() -> send(id, email, firstName, locale, link));
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
        accounts.setPassword(member, password);
        t.useAt(clock.instant());
        log.info("member {} reset their password", member.getId());
        return true;
    }

    private Optional<PasswordResetToken> find(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return tokens.findById(hash(token)).filter(t -> t.usableAt(clock.instant()));
    }

    private void send(long memberId, String email, String firstName, Locale locale, String link) {
        long minutes = properties.resetTokenTtl().toMinutes();
        if (smtpHost == null || smtpHost.isBlank() || mail.getIfAvailable() == null) {
            log.warn("no SMTP configured (SMTP_HOST); password reset link for member {}: {}", memberId, link);
            return;
        }
        var message = new SimpleMailMessage();
        message.setFrom(properties.mailFrom());
        message.setTo(email);
        message.setSubject(messages.getMessage("reset.mail.subject", null, locale));
        message.setText(messages.getMessage("reset.mail.body", new Object[] {firstName, link, minutes}, locale));
        try {
            mail.getObject().send(message);
            log.info("password reset link sent to member {}", memberId);
        } catch (MailException e) {
            log.error("password reset mail to member {} failed: {}", memberId, e.getMessage());
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
