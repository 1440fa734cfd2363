package org.hypertube.playback.media;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What ffmpeg and ffprobe may be asked to read: our own loopback stream endpoint or a file we wrote.
 * Anything else (another host, another protocol, a string that ffmpeg would take for an option or a
 * protocol such as {@code concat:}) is refused, so no request can make the tools read elsewhere; and
 * what the input itself names is held to the same protocols ({@link #protocolWhitelist}).
 */
final class MediaInput {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private MediaInput() {
    }

    /** True for an http URL on the loopback interface; false for a local file path; exception otherwise. */
    static boolean isUrl(String input) {
        if (input == null || input.isEmpty() || input.length() > 2000) {
            throw new IllegalArgumentException("no media input");
        }
        for (int i = 0; i < input.length(); i++) {
            if (input.charAt(i) < 0x20 || input.charAt(i) == 0x7f) {
                throw new IllegalArgumentException("control character in media input");
            }
        }
        if (input.startsWith("http://")) {
            try {
                URI uri = new URI(input);
                if (uri.getHost() == null || !LOOPBACK.contains(uri.getHost()) || uri.getUserInfo() != null) {
                    throw new IllegalArgumentException("media URL is not on the loopback interface: " + input);
                }
                return true;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("malformed media URL: " + input, e);
            }
        }
        Path path = Path.of(input);
        if (!path.isAbsolute() || !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("media input is neither a loopback URL nor an existing absolute file: "
                    + input);
        }
        return false;
    }

    /**
     * The protocols ffmpeg may open for this input, nested ones included (an HLS playlist's segments,
     * for example): http over tcp for our stream endpoint, file for our files. ffmpeg's own default for
     * an http input also lets https, udp, rtp and data through.
     */
    static List<String> protocolWhitelist(String input) {
        return List.of("-protocol_whitelist", isUrl(input) ? "http,tcp" : "file");
    }

    /** The argument ffmpeg gets: the URL, or the path behind {@code file:} so no colon in it reads as a protocol. */
    static String argument(String input) {
        return isUrl(input) ? input : "file:" + Path.of(input).normalize();
    }
}
