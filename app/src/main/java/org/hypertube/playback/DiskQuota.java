package org.hypertube.playback;

import java.util.Locale;
import org.springframework.util.unit.DataSize;

/**
 * How much the media folder may hold (HYPERTUBE_DISK_QUOTA): a percentage of the space it could have
 * (its films plus the disk's free space, "80%" by default), a size ("500GB", or bytes), or 0 for none.
 *
 * @param percent share of the space, 0..100 (used when {@code bytes} is 0)
 * @param bytes   a fixed size
 */
record DiskQuota(double percent, long bytes) {

    static final DiskQuota NONE = new DiskQuota(0, 0);

    static DiskQuota parse(String value) {
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("0")) {
            return NONE;
        }
        if (v.endsWith("%")) {
            double percent;
            try {
                percent = Double.parseDouble(v.substring(0, v.length() - 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("HYPERTUBE_DISK_QUOTA: not a percentage: " + value);
            }
            if (!(percent > 0 && percent <= 100)) {
                throw new IllegalArgumentException("HYPERTUBE_DISK_QUOTA must be within 0..100 %, was " + value);
            }
            return new DiskQuota(percent, 0);
        }
        try {
            long bytes = DataSize.parse(v).toBytes();
            if (bytes < 0) {
                throw new IllegalArgumentException("HYPERTUBE_DISK_QUOTA must not be negative, was " + value);
            }
            return bytes == 0 ? NONE : new DiskQuota(0, bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HYPERTUBE_DISK_QUOTA: neither a percentage nor a size: " + value, e);
        }
    }

    boolean none() {
        return percent == 0 && bytes == 0;
    }

    /** The bytes allowed, given what the films take now and the disk's free space. */
    long limit(long filmBytes, long freeBytes) {
        if (bytes > 0) {
            return bytes;
        }
        return (long) ((filmBytes + (double) freeBytes) * percent / 100);
    }
}
