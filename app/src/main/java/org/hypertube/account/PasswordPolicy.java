package org.hypertube.account;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Component;

/**
 * Which passwords we refuse: short ones, ones over bcrypt's 72 bytes, common passwords and dictionary words
 * (English and French, see tools/common-passwords.sh), and ones made of the username or e-mail.
 * Composition rules (digits, symbols) are not asked for, as NIST SP 800-63B advises.
 */
@Component
class PasswordPolicy {

    static final int MIN_LENGTH = 8;
    /** bcrypt reads only the first 72 bytes (UTF-8) of a password, and our encoder refuses more. */
    static final int MAX_BYTES = 72;
    private static final String LIST = "/account/common-passwords.txt.gz";

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load();
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>(400_000);
        try (var in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("missing " + LIST);
            }
            var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    words.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LIST, e);
        }
        return Set.copyOf(words);
    }

    /** The message key of what is wrong with the password, or empty when it is acceptable. */
    Optional<String> problem(String password, String username, String email) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return Optional.of("password.tooShort");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("password.tooLong");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (isCommon(lower)) {
            return Optional.of("password.common");
        }
        if (resembles(lower, username) || resembles(lower, email)
                || (email != null && email.contains("@") && resembles(lower, email.substring(0, email.indexOf('@'))))) {
            return Optional.of("password.likeIdentity");
        }
        return Optional.empty();
    }

    private boolean isCommon(String lower) {
        if (common.contains(lower)) {
            return true;
        }
        // "password123!" and "Soleil2024" are no stronger than the word they are built on.
        String core = lower.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
        return core.length() >= 4 && common.contains(core) && core.length() * 2 >= lower.length();
    }

    private static boolean resembles(String lowerPassword, String identity) {
        if (identity == null || identity.isBlank()) {
            return false;
        }
        String id = identity.strip().toLowerCase(Locale.ROOT);
        return id.length() >= 3 && (lowerPassword.equals(id) || lowerPassword.contains(id) && id.length() * 2 >= lowerPassword.length());
    }
}
