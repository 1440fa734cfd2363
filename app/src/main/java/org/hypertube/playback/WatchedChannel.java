package org.hypertube.playback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/** A reading channel that says, before each read, where it reads and how much: what a reader waits for. */
final class WatchedChannel implements SeekableByteChannel {

    @FunctionalInterface
    interface Watcher {
        void reading(long offset, long length);
    }

    private final SeekableByteChannel channel;
    private final Watcher watcher;

    WatchedChannel(SeekableByteChannel channel, Watcher watcher) {
        this.channel = channel;
        this.watcher = watcher;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        watcher.reading(channel.position(), dst.remaining());
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        channel.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        // the channel is closed by its owner
    }
}
