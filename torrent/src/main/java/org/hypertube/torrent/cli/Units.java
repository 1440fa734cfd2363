package org.hypertube.torrent.cli;

import java.util.Locale;

/** Sizes and fractions as the command line prints them. */
final class Units {
    private Units() {}

    static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p * 100);
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
