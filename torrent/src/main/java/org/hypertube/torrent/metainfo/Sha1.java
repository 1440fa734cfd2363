package org.hypertube.torrent.metainfo;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An incremental SHA-1 of a piece: libcrypto's when this code may call native code and the library
 * is there, else the JDK's.
 *
 * <p>The JDK's SHA-1 is fast only once C2 has compiled it with its intrinsic; before that, and for
 * good in a JVM limited to C1 (the CLI's {@code -XX:TieredStopAtLevel=1}), it runs as Java code,
 * several times slower (a 1 GiB download took 8 CPU seconds instead of 2.5 that way). libcrypto's is
 * machine code (SHA extensions where the CPU has them) from the first byte. Native access is used
 * only where it was granted (the CLI jar's manifest {@code Enable-Native-Access}, the server's and
 * the tests' {@code --enable-native-access}), so a JVM that did not grant it never prints the JDK's
 * warning. The system property {@code hypertube.torrent.jdkSha1=true} forces the JDK's (for
 * comparisons). Falling back to the JDK's in a JVM limited to C1 logs one warning with the reason.
 */
public abstract sealed class Sha1 permits Sha1.Jdk, Sha1.Native {
    /** Adds the buffer's remaining bytes; its position is left where it was. */
    public abstract void update(ByteBuffer data);

    /** The digest of everything added since creation or the last digest; starts a new one. */
    public abstract byte[] digest();

    /** A new hasher: native when available, else the JDK's. */
    public static Sha1 create() {
        return Native.AVAILABLE ? new Native() : new Jdk();
    }

    /** True when {@link #create} hashes with libcrypto. */
    public static boolean isNative() {
        return Native.AVAILABLE;
    }

    /**
     * A buffer of {@code size} bytes to read data into before hashing it: direct when hashing
     * natively (which reads it in place), on the heap when the JDK hashes (which would copy direct
     * bytes into an array first) or when no direct memory is left.
     */
    public static ByteBuffer buffer(int size) {
        if (Native.AVAILABLE) {
            try {
                return ByteBuffer.allocateDirect(size);
            } catch (OutOfMemoryError e) {
                // no direct memory left: the heap buffer is hashed through a copy, more slowly
            }
        }
        return ByteBuffer.allocate(size);
    }

    static final class Jdk extends Sha1 {
        private final MessageDigest md;

        Jdk() {
            try {
                md = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void update(ByteBuffer data) {
            md.update(data.duplicate());
        }

        @Override
        public byte[] digest() {
            return md.digest();
        }
    }

    static final class Native extends Sha1 {
        /** {@code sizeof(SHA_CTX)} is 96 bytes in OpenSSL 1.1 and 3; room to spare. */
        private static final long CTX_SIZE = 128;
        private static final MethodHandle INIT;
        private static final MethodHandle UPDATE;
        private static final MethodHandle FINAL;
        static final boolean AVAILABLE;

        static {
            MethodHandle init = null;
            MethodHandle update = null;
            MethodHandle fin = null;
            String without = null;
            if (!Sha1.class.getModule().isNativeAccessEnabled()) {
                without = "native access not granted";
            } else if (Boolean.getBoolean("hypertube.torrent.jdkSha1")) {
                without = "-Dhypertube.torrent.jdkSha1=true";
            } else {
                try {
                    Linker linker = Linker.nativeLinker();
                    if (linker.canonicalLayouts().get("size_t").byteSize() != Long.BYTES) {
                        throw new UnsupportedOperationException("size_t is not 64 bits");
                    }
                    SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
                    init = linker.downcallHandle(lib.findOrThrow("SHA1_Init"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS));
                    update = linker.downcallHandle(lib.findOrThrow("SHA1_Update"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
                    fin = linker.downcallHandle(lib.findOrThrow("SHA1_Final"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
                } catch (RuntimeException | LinkageError e) {
                    init = null;
                    without = "libcrypto.so.3: " + e.getMessage();
                }
            }
            INIT = init;
            UPDATE = update;
            FINAL = fin;
            AVAILABLE = init != null;
            if (!AVAILABLE && limitedToC1()) {
                org.slf4j.LoggerFactory.getLogger(Sha1.class).warn("SHA-1 by the JDK ({}) runs several times slower in a JVM"
                        + " limited to C1: run it without -XX:TieredStopAtLevel=1", without);
            }
        }

        /** True when this JVM was started with -XX:TieredStopAtLevel below 4 (only asked when falling back). */
        private static boolean limitedToC1() {
            try {
                String level = java.lang.management.ManagementFactory
                        .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                        .getVMOption("TieredStopAtLevel").getValue();
                return Integer.parseInt(level) < 4;
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        /** SHA_CTX followed by the 20-byte digest; freed by the collector with this object. */
        private final MemorySegment ctx = Arena.ofAuto().allocate(CTX_SIZE + 32, 16);
        private boolean started;

        private void start() {
            try {
                if ((int) INIT.invokeExact(ctx) != 1) {
                    throw new IllegalStateException("SHA1_Init failed");
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
            started = true;
        }

        @Override
        public void update(ByteBuffer data) {
            if (!started) {
                start();
            }
            int n = data.remaining();
            if (n == 0) {
                return;
            }
            if (data.isDirect()) {
                try {
                    hash(MemorySegment.ofBuffer(data), n);
                } finally {
                    // A direct buffer's segment does not keep the buffer (and its memory) alive during the call.
                    java.lang.ref.Reference.reachabilityFence(data);
                }
            } else {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment copy = arena.allocate(n);
                    copy.copyFrom(MemorySegment.ofBuffer(data));
                    hash(copy, n);
                }
            }
        }

        private void hash(MemorySegment src, long n) {
            try {
                if ((int) UPDATE.invokeExact(ctx, src, n) != 1) {
                    throw new IllegalStateException("SHA1_Update failed");
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        public byte[] digest() {
            if (!started) {
                start();
            }
            MemorySegment out = ctx.asSlice(CTX_SIZE, 20);
            try {
                if ((int) FINAL.invokeExact(out, ctx) != 1) {
                    throw new IllegalStateException("SHA1_Final failed");
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
            started = false;
            return out.toArray(JAVA_BYTE);
        }

        private static RuntimeException rethrow(Throwable t) {
            if (t instanceof RuntimeException r) {
                return r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            return new IllegalStateException(t);
        }
    }
}
