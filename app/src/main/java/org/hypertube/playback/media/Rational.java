package org.hypertube.playback.media;

/**
 * A frame rate as ffprobe gives it ("24000/1001"): kept exact, because segment times are whole frames
 * and 23.976 rounded drifts by a frame every few minutes.
 */
public record Rational(long numerator, long denominator) {

    public Rational {
        if (numerator <= 0 || denominator <= 0) {
            throw new IllegalArgumentException("not a positive rational: " + numerator + "/" + denominator);
        }
        long g = gcd(numerator, denominator);
        numerator /= g;
        denominator /= g;
    }

    /** "24000/1001" or "25"; null for "0/0", garbage or absurd values. */
    public static Rational parse(String text) {
        if (text == null || text.isBlank() || text.length() > 40) {
            return null;
        }
        String[] parts = text.strip().split("/");
        try {
            long num = Long.parseLong(parts[0]);
            long den = parts.length == 2 ? Long.parseLong(parts[1]) : parts.length == 1 ? 1 : 0;
            return num > 0 && den > 0 && num < 1_000_000_000L && den < 1_000_000_000L ? new Rational(num, den) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public double value() {
        return (double) numerator / denominator;
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
