package org.hypertube.torrent.metainfo;

import java.util.Locale;
import java.util.Set;

/**
 * Checks each component of a path named by a torrent. Refuses rather than rewrites: a torrent
 * whose paths need fixing is either broken or hostile, and a silent rename could make two files
 * collide. The checks hold on Linux and Windows so a torrent accepted here is safe anywhere.
 */
final class PathSanitizer {
    static final int MAX_COMPONENT_BYTES = 255;
    static final int MAX_PATH_COMPONENTS = 64;
    private static final Set<String> WINDOWS_RESERVED = Set.of(
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private PathSanitizer() {}

    static String component(String c, String what) {
        if (c.isEmpty()) {
            throw new MetainfoException(what + ": empty path component");
        }
        if (c.equals(".") || c.equals("..")) {
            throw new MetainfoException(what + ": path component '" + c + "' would leave the download folder");
        }
        if (c.indexOf('/') >= 0 || c.indexOf('\\') >= 0) {
            throw new MetainfoException(what + ": path component contains a separator: " + c);
        }
        if (c.length() >= 2 && c.charAt(1) == ':') {
            throw new MetainfoException(what + ": absolute (drive) path component: " + c);
        }
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw new MetainfoException(what + ": control character in path component");
            }
        }
        if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
            throw new MetainfoException(what + ": path component longer than " + MAX_COMPONENT_BYTES + " bytes");
        }
        String base = c.contains(".") ? c.substring(0, c.indexOf('.')) : c;
        if (WINDOWS_RESERVED.contains(base.toUpperCase(Locale.ROOT).trim())) {
            throw new MetainfoException(what + ": reserved file name: " + c);
        }
        return c;
    }
}
