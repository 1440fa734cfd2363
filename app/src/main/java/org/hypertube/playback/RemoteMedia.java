package org.hypertube.playback;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The film of a download another instance runs (it holds the lease): read from the owner's cluster
 * listener by HTTP ranges, so this instance never downloads the torrent a second time. A reader whose
 * owner goes away (a crash, a clean shutdown) asks {@code reopen} for the film again, the same way until
 * the lease passes on: a new owner's address, or the torrent in this instance's own engine once this
 * instance took it over, and goes on at the same offset. It gives up after {@code patience}.
 */
record RemoteMedia(String infoHash, String name, long length, String address, ClusterClient client,
                   Function<String, Optional<MediaFile>> reopen, Duration patience) implements MediaFile {

    private static final Logger log = LoggerFactory.getLogger(RemoteMedia.class);
    private static final long RETRY_MILLIS = 500;

    /** Bytes readable at once from an offset, and the owner's view of the swarm. */
    record Status(long readable, int peers, long rate, double progress) {
        static final Status UNKNOWN = new Status(0, 0, 0, 0);
    }

    @Override
    public SeekableByteChannel open() {
        return new Reader(this);
    }

    @Override
    public long readableFrom(long offset) {
        return status(offset).readable();
    }

    Status status(long offset) {
        try {
            return client.status(address, infoHash, offset);
        } catch (IOException e) {
            return Status.UNKNOWN;
        }
    }

    /** One reader: one open answer from the owner at a time, reopened where a seek or a failure leaves it. */
    private static final class Reader implements SeekableByteChannel {
        private RemoteMedia target;
        private SeekableByteChannel local;
        private InputStream in;
        private long inAt = -1;
        private long position;
        private boolean open = true;
        private final byte[] buffer = new byte[64 * 1024];

        Reader(RemoteMedia target) {
            this.target = target;
        }

        @Override
        public synchronized int read(ByteBuffer dst) throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
            if (local != null) {
                return local.read(dst);
            }
            if (position >= target.length() || !dst.hasRemaining()) {
                return position >= target.length() ? -1 : 0;
            }
            long deadline = System.nanoTime() + target.patience().toNanos();
            while (true) {
                try {
                    if (in == null || inAt != position) {
                        closeAnswer();
                        in = target.client().open(target.address(), target.infoHash(), position);
                        inAt = position;
                    }
                    int n = in.read(buffer, 0, Math.min(buffer.length, dst.remaining()));
                    if (n < 0) {
                        throw new IOException("the owner's answer ended at " + position);
                    }
                    dst.put(buffer, 0, n);
                    position += n;
                    inAt += n;
                    return n;
                } catch (IOException e) {
                    closeAnswer();
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    if (switchOver(e)) {
                        return local.read(dst);
                    }
                }
            }
        }

        /** After the owner failed: true when the film is now in this instance's engine (the reader moved there). */
        private boolean switchOver(IOException cause) throws IOException {
            Optional<MediaFile> fresh = target.reopen().apply(target.infoHash());
            if (fresh.isPresent() && fresh.get() instanceof RemoteMedia other) {
                if (!other.address().equals(target.address())) {
                    log.info("{} reader moves from {} to the new owner {} at {}", target.infoHash(), target.address(),
                            other.address(), position);
                    target = other;
                    return false;
                }
            } else if (fresh.isPresent()) {
                log.info("{} reader moves from {} to this instance's torrent at {} ({})", target.infoHash(),
                        target.address(), position, cause.toString());
                local = fresh.get().open();
                local.position(position);
                return true;
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the owner is away");
            }
            return false;
        }

        private void closeAnswer() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    // the answer is abandoned either way
                }
                in = null;
                inAt = -1;
            }
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized long position() throws IOException {
            return local != null ? local.position() : position;
        }

        @Override
        public synchronized SeekableByteChannel position(long newPosition) throws IOException {
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            if (local != null) {
                local.position(newPosition);
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return target.length();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void close() throws IOException {
            open = false;
            closeAnswer();
            if (local != null) {
                local.close();
            }
        }
    }
}
