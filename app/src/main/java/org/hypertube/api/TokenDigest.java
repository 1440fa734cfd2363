package org.hypertube.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/** The SHA-256 (hex) of a token's value, by which oauth2_authorization's indexed columns find it (V8_2). */
final class TokenDigest {

    /** Token type (as the authorization server names it) to the column holding its digest. */
    static final Map<String, String> COLUMNS = Map.of(
            OAuth2ParameterNames.CODE, "authorization_code_sha256",
            OAuth2ParameterNames.ACCESS_TOKEN, "access_token_sha256",
            OAuth2ParameterNames.REFRESH_TOKEN, "refresh_token_sha256");

    private TokenDigest() {
    }

    static String of(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    static String of(OAuth2Authorization.Token<? extends OAuth2Token> token) {
        return token == null ? null : of(token.getToken().getTokenValue());
    }
}
