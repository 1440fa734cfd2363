package org.hypertube.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a text at rest under a secret from the environment (JDK only): AES-256-GCM with a key derived
 * from the secret by PBKDF2-HMAC-SHA256 over a random salt, the salt and nonce stored with the text as
 * {@code aes-gcm:v1:<salt>:<nonce>:<ciphertext>} (Base64). GCM's tag makes a wrong secret or an altered
 * value fail to open instead of giving a wrong text.
 */
final class SecretBox {

    static final String PREFIX = "aes-gcm:v1:";
    static final int MIN_SECRET_LENGTH = org.hypertube.system.ClusterMode.MIN_SECRET_LENGTH;
    private static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The secret does not open the value (another secret, or the value was altered). */
    static final class WrongSecret extends Exception {
        WrongSecret() {
            super("the secret does not open this value");
        }
    }

    private final char[] secret;

    SecretBox(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the secret must have at least " + MIN_SECRET_LENGTH + " characters");
        }
        this.secret = secret.toCharArray();
    }

    static boolean sealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    String seal(String plain, String context) {
        byte[] salt = random(16);
        byte[] nonce = random(12);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, salt, nonce, context, plain.getBytes(StandardCharsets.UTF_8));
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + b64.encodeToString(salt) + ":" + b64.encodeToString(nonce) + ":" + b64.encodeToString(sealed);
    }

    String open(String stored, String context) throws WrongSecret {
        if (!sealed(stored)) {
            throw new WrongSecret();
        }
        String[] parts = stored.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 3) {
            throw new WrongSecret();
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new String(run(Cipher.DECRYPT_MODE, b64.decode(parts[0]), b64.decode(parts[1]), context, b64.decode(parts[2])),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | WrongSecretUnchecked e) {
            throw new WrongSecret();
        }
    }

    private static final class WrongSecretUnchecked extends RuntimeException {
    }

    private byte[] run(int mode, byte[] salt, byte[] nonce, String context, byte[] input) {
        try {
            var derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(secret, salt, ITERATIONS, 256)).getEncoded();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(derived, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new WrongSecretUnchecked();
        } catch (GeneralSecurityException e) {
            if (mode == Cipher.DECRYPT_MODE) {
                throw new WrongSecretUnchecked();
            }
            throw new IllegalStateException("AES-GCM or PBKDF2 is not available in this JDK", e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }
}
