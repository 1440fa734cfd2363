package org.hypertube.account;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.hypertube.system.OutsideFetch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A member's picture from a URL they name (the API's {@code PATCH /users/{id}}). The server fetches it through
 * {@link OutsideFetch} (public addresses only, checked on the address it connects to and after every redirect;
 * never from https down to http), takes only an {@code image/*} answer other than SVG of at most
 * {@link PictureStore#MAX_BYTES} (an upload's cap) within {@link #DEADLINE}, and then stores it exactly like an
 * upload ({@link PictureStore}: decoded within the decoder's pixel bounds, re-encoded under a generated name).
 * Each refusal is one log line with the member's id.
 */
@Component
public class PictureUrls {

    private static final Logger log = LoggerFactory.getLogger(PictureUrls.class);
    /** The whole fetch, redirects and body included. */
    static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(8);

    /** Why a picture URL was refused. */
    public enum Refusal {
        /** Not an absolute http(s) URL with a host. */
        NOT_HTTP,
        /** Its host, or a redirect's, is not a public address. */
        INSIDE_ADDRESS,
        /** No picture came back: no answer in time, or not 200. */
        UNREACHABLE,
        /** The answer is not a PNG, JPEG, GIF or BMP picture. */
        NOT_AN_IMAGE,
        /** More bytes than an upload may have, or more pixels than the decoder takes. */
        TOO_LARGE,
        /** Other pictures are being decoded; try again shortly. */
        BUSY
    }

    /** A refused picture URL. */
    public static final class RefusedUrl extends Exception {
        private final Refusal refusal;

        RefusedUrl(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final OutsideFetch http;
    private final PictureStore pictures;
    private final AccountService accounts;

    PictureUrls(OutsideFetch http, PictureStore pictures, AccountService accounts) {
        this.http = http;
        this.pictures = pictures;
        this.accounts = accounts;
    }

    /** The URL, if it is an absolute http(s) URL with a host. */
    public URI parse(long memberId, String url) throws RefusedUrl {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw refuse(memberId, Refusal.NOT_HTTP, "not an http(s) URL", null);
    }

    /** Fetches and stores the picture; returns its stored name, for {@link #use} or {@link #drop}. */
    public String fetch(long memberId, URI uri) throws RefusedUrl {
        OutsideFetch.Answer answer;
        try {
            answer = http.get(uri, Map.of("Accept", "image/png,image/jpeg,image/gif,image/bmp"), READ_TIMEOUT,
                    PictureStore.MAX_BYTES, DEADLINE);
        } catch (OutsideFetch.InsideAddressException e) {
            throw refuse(memberId, Refusal.INSIDE_ADDRESS, e.getMessage(), uri);
        } catch (OutsideFetch.TooLargeException e) {
            throw refuse(memberId, Refusal.TOO_LARGE, e.getMessage(), uri);
        } catch (IOException | RuntimeException e) {
            throw refuse(memberId, Refusal.UNREACHABLE, String.valueOf(e.getMessage()), uri);
        }
        if (answer.status() != 200) {
            throw refuse(memberId, Refusal.UNREACHABLE, "HTTP " + answer.status(), uri);
        }
        String type = answer.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("image/") || type.contains("svg")) {
            throw refuse(memberId, Refusal.NOT_AN_IMAGE, "Content-Type " + (type.isEmpty() ? "none" : type), uri);
        }
        try {
            return pictures.store(answer.body());
        } catch (PictureStore.NotAPictureException e) {
            Refusal refusal = switch (e.messageKey()) {
                case "picture.tooLarge" -> Refusal.TOO_LARGE;
                case "picture.busy" -> Refusal.BUSY;
                default -> Refusal.NOT_AN_IMAGE;
            };
            throw refuse(memberId, refusal, e.getMessage(), uri);
        }
    }

    /** Makes the stored picture the member's; their former one is deleted. */
    public void use(long memberId, String name) {
        accounts.setPicture(memberId, name).ifPresent(pictures::delete);
        log.info("member {} set their picture from a URL", memberId);
    }

    /** Deletes a stored picture that will not be used after all. */
    public void drop(String name) {
        pictures.delete(name);
    }

    private static RefusedUrl refuse(long memberId, Refusal refusal, String why, URI uri) {
        // The URI's ASCII form has no line breaks to forge log lines with.
        log.info("member {} picture URL refused ({}): {}{}", memberId, refusal, why,
                uri == null ? "" : " for " + uri.toASCIIString());
        return new RefusedUrl(refusal, why);
    }
}
