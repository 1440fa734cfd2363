package org.hypertube.system;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link SecureRandom} for the form tokens' per-answer mask that several requests can draw from at once:
 * {@code new SecureRandom()} (NativePRNG) takes one lock for the whole process on every call, and under load
 * on virtual threads the requests queued behind it for seconds (bench/catalog, docs/BENCHMARKS.md). Each call
 * uses one of several independent DRBG instances (each seeded from the system's entropy), picked at random.
 */
final class StripedSecureRandom extends SecureRandom {

    private final transient SecureRandom[] stripes;

    StripedSecureRandom(int count) {
        stripes = new SecureRandom[count];
        for (int i = 0; i < count; i++) {
            try {
                stripes[i] = SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no DRBG", e);
            }
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        stripes[ThreadLocalRandom.current().nextInt(stripes.length)].nextBytes(bytes);
    }

    @Override
    public String getAlgorithm() {
        return "striped DRBG";
    }
}
