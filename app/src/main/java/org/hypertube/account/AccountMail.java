package org.hypertube.account;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Mails to members, in their language, sent off the request thread (so an answer takes as long
 * whether or not a mail goes out), or written to the log when no SMTP server is configured.
 */
@Component
class AccountMail {

    private static final Logger log = LoggerFactory.getLogger(AccountMail.class);

    private final ObjectProvider<JavaMailSender> mail;
    private final String smtpHost;
    private final MessageSource messages;
    private final AccountProperties properties;

    AccountMail(ObjectProvider<JavaMailSender> mail, @Value("${spring.mail.host:}") String smtpHost, MessageSource messages,
                AccountProperties properties) {
        this.mail = mail;
        this.smtpHost = smtpHost;
        this.messages = messages;
        this.properties = properties;
    }

    /** Sends the message {@code key}.subject / {@code key}.body with these arguments; {@code what} names it in the log. */
    void send(long memberId, String to, Locale locale, String key, String what, Object... args) {
        String subject = messages.getMessage(key + ".subject", null, locale);
        String body = messages.getMessage(key + ".body", args, locale);
        Thread.ofVirtual().name("mail-" + memberId).start(() -> deliver(memberId, to, subject, body, what));
    }

    private void deliver(long memberId, String to, String subject, String body, String what) {
        if (smtpHost == null || smtpHost.isBlank() || mail.getIfAvailable() == null) {
            log.warn("no SMTP configured (SMTP_HOST); {} for member {}:\n{}", what, memberId, body);
            return;
        }
        var message = new SimpleMailMessage();
        message.setFrom(properties.mailFrom());
        message.setTo(to);
        message.setSubject(subject);
        message.setText(body);
        try {
            mail.getObject().send(message);
            log.info("{} sent to member {}", what, memberId);
        } catch (MailException e) {
            log.error("{} to member {} failed: {}", what, memberId, e.getMessage());
        }
    }
}
