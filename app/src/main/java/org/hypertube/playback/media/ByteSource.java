package org.hypertube.playback.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random reads of a film: HTTP Range requests on the loopback stream endpoint, or a local file. The
 * keyframe readers use it to fetch only the index (MKV Cues, MP4 moov), never the whole film.
 */
interface ByteSource extends AutoCloseable {

    /** Total size in bytes. */
    long size() throws IOException;

    /** Up to {@code length} bytes at {@code offset}; fewer only at the end of the file. */
    byte[] read(long offset, int length) throws IOException;

    @Override
    void close();

    static ByteSource open(String input, Duration timeout) {
        if (MediaInput.isUrl(input)) {
            return new Http(URI.create(input), timeout);
        }
        try {
            return new Channel(FileChannel.open(Path.of(input), StandardOpenOption.READ), true);
        } catch (IOException e) {
            throw new MediaException("cannot read " + input + ": " + e.getMessage(), e);
        }
    }

    /** Reads of an open channel (a torrent stream waits for the verified pieces); closing it is the caller's. */
    static ByteSource of(SeekableByteChannel channel) {
        return new Channel(channel, false);
    }

    /** Reads of a channel (a local file, or a torrent stream that waits for the verified pieces). */
    final class Channel implements ByteSource {
        private final SeekableByteChannel channel;
        private final boolean owned;

        Channel(SeekableByteChannel channel, boolean owned) {
            this.channel = channel;
            this.owned = owned;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public byte[] read(long offset, int length) throws IOException {
            int n = (int) Math.max(0, Math.min(length, channel.size() - offset));
            ByteBuffer buffer = ByteBuffer.allocate(n);
            channel.position(offset);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // a torrent stream returns what is verified and waits for the rest
            }
            byte[] out = new byte[buffer.position()];
            buffer.flip().get(out);
            return out;
        }

        @Override
        public void close() {
            if (owned) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /** Range requests; the endpoint may hold an answer while the torrent fetches the pieces. */
    final class Http implements ByteSource {
        private static final Pattern TOTAL = Pattern.compile("bytes\\s+\\d+-\\d+/(\\d+)");
        private final URI uri;
        private final Duration timeout;
        private final HttpClient client;
        private long size = -1;

        Http(URI uri, Duration timeout) {
            this.uri = uri;
            this.timeout = timeout;
            this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }

        @Override
        public long size() throws IOException {
            if (size < 0) {
                read(0, 1);
            }
            return size;
        }

        @Override
        public byte[] read(long offset, int length) throws IOException {
            if (length <= 0 || (size >= 0 && offset >= size)) {
                return new byte[0];
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Range", "bytes=" + offset + "-" + (offset + length - 1)).GET().build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() == 206) {
                    Matcher m = TOTAL.matcher(response.headers().firstValue("Content-Range").orElse(""));
                    if (m.matches()) {
                        size = Long.parseLong(m.group(1));
                    }
                } else if (response.statusCode() == 416) {
                    return new byte[0];
                } else if (response.statusCode() != 200 || offset != 0) {
                    throw new IOException("range request answered " + response.statusCode());
                } else {
                    size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                }
                return body.readNBytes(length);
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
