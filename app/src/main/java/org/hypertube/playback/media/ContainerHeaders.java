package org.hypertube.playback.media;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/**
 * The streams of an MP4/MOV or Matroska/WebM film from our own readers of its container headers, in
 * place of ffprobe: a few small reads (the head; MP4's moov wherever it is) instead of a process and
 * a 5 MB probe. Empty for other containers or when the headers cannot be read; {@link Prober} decides then.
 */
public final class ContainerHeaders {

    private ContainerHeaders() {
    }

    /** Reads through {@code channel} (not closed here); its reads may wait for the pieces they need. */
    public static Optional<MediaProbe> read(SeekableByteChannel channel) throws IOException {
        return read(ByteSource.of(channel));
    }

    static Optional<MediaProbe> read(ByteSource source) throws IOException {
        byte[] magic = source.read(0, 8);
        if (magic.length < 8) {
            return Optional.empty();
        }
        if ((magic[0] & 0xff) == 0x1A && (magic[1] & 0xff) == 0x45 && (magic[2] & 0xff) == 0xDF && (magic[3] & 0xff) == 0xA3) {
            return MatroskaHeader.read(source);
        }
        if (magic[4] == 'f' && magic[5] == 't' && magic[6] == 'y' && magic[7] == 'p') {
            return Mp4Header.read(source);
        }
        return Optional.empty();
    }
}
