package org.hypertube.torrent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.hypertube.torrent.bencode.BValue;
import org.hypertube.torrent.bencode.Bencode;
import org.hypertube.torrent.bencode.BencodeException;
import org.hypertube.torrent.dht.Krpc;
import org.hypertube.torrent.dht.KrpcException;
import org.hypertube.torrent.dht.KrpcMessage;
import org.hypertube.torrent.Magnet;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.MetainfoException;
import org.hypertube.torrent.TorrentFile;
import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.peer.PeerProtocolException;
import org.hypertube.torrent.pex.PexCodec;
import org.hypertube.torrent.pex.PexMessage;
import org.hypertube.torrent.tracker.TrackerException;
import org.hypertube.torrent.tracker.TrackerReplies;
import org.hypertube.torrent.webseed.FileSlice;
import org.hypertube.torrent.webseed.RangeResponse;
import org.hypertube.torrent.webseed.WebSeedException;

/**
 * Jazzer fuzz targets for every parser of outside data. Without JAZZER_FUZZ=1 they run as regression
 * tests over the corpus in src/test/resources/org/hypertube/torrent/fuzz/ParserFuzzTestInputs/.
 * Each target allows only the parser's own "malformed input" exception; anything else is a bug.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void bencode(byte[] input) {
        try {
            BValue v = Bencode.decode(input);
            // Whatever decodes must re-encode to something that decodes to the same value.
            assertThat(Bencode.decode(Bencode.encode(v))).isEqualTo(v);
        } catch (BencodeException expected) {
            // malformed input is refused
        }
    }

    @FuzzTest(maxDuration = "30s")
    void metainfo(byte[] input) {
        try {
            Metainfo m = Metainfo.parse(input);
            assertPlainName(m.info().name());
            for (TorrentFile f : m.info().files()) {
                f.path().forEach(ParserFuzzTest::assertPlainName);
                assertThat(f.length()).isNotNegative();
            }
            assertThat(m.info().pieceCount()).isPositive();
        } catch (MetainfoException expected) {
            // malformed or unsafe torrents are refused
        }
    }

    /** A name that resolves to an entry of the folder it is resolved in, and that Linux can create. */
    private static void assertPlainName(String c) {
        assertThat(c).isNotEmpty().isNotEqualTo("..").isNotEqualTo(".").doesNotContain("/", "\\", "\0");
        assertThat(c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    }

    @FuzzTest(maxDuration = "30s")
    void magnet(FuzzedDataProvider data) {
        String link = (data.consumeBoolean() ? "magnet:?" : "") + data.consumeRemainingAsString();
        try {
            Magnet m = Magnet.parse(link);
            assertThat(Magnet.parse(m.toUri()).infoHash()).isEqualTo(m.infoHash());
        } catch (MetainfoException expected) {
            // refused with a message
        }
    }

    @FuzzTest(maxDuration = "30s")
    void peerMessage(byte[] input) {
        try {
            PeerMessage m = MessageCodec.decode(ByteBuffer.wrap(input), 1 << 16);
            assertThat(MessageCodec.encode(m)).isEqualTo(input);
        } catch (PeerProtocolException expected) {
            // refused
        }
        try {
            ExtensionHandshake.decode(input);
        } catch (PeerProtocolException expected) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "30s")
    void pexMessage(byte[] input) {
        try {
            PexMessage m = PexCodec.decode(input);
            for (List<?> list : List.of(m.added(), m.dropped(), m.added6(), m.dropped6())) {
                assertThat(list).hasSizeLessThanOrEqualTo(PexCodec.MAX_ENTRIES);
            }
            // What was kept re-encodes to a message that decodes to the same peers and flags.
            assertThat(PexCodec.decode(PexCodec.encode(m))).isEqualTo(m);
        } catch (PeerProtocolException expected) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "30s")
    void trackerReply(byte[] input) {
        try {
            TrackerReplies.parseAnnounce(input).peers().forEach(p -> assertThat(p.getPort()).isBetween(1, 65535));
        } catch (TrackerException expected) {
            // refused
        }
        try {
            TrackerReplies.parseScrape(input);
        } catch (TrackerException expected) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "30s")
    void webSeedResponse(byte[] input) {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        // The same bytes as the answer to part of a file, then to a whole (short) file.
        for (FileSlice slice : new FileSlice[] {new FileSlice(0, 100, 10, 0, false), new FileSlice(0, 0, 10, 0, false)}) {
            ByteBuffer dst = ByteBuffer.allocate(slice.length());
            ByteArrayInputStream in = new ByteArrayInputStream(input);
            try {
                RangeResponse.Outcome outcome = RangeResponse.read(in, slice, slice.fileOffset() == 0 ? 10 : 1000, dst, clock);
                if (outcome instanceof RangeResponse.Filled) {
                    assertThat(dst.hasRemaining()).isFalse();
                }
            } catch (WebSeedException expected) {
                // refused, with the kind of fault
                assertThat(expected.kind()).isNotNull();
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void krpc(byte[] input) {
        try {
            KrpcMessage m = Krpc.decode(input);
            if (m instanceof KrpcMessage.Response r) {
                assertThat(r.nodes().size() + r.nodes6().size()).isLessThanOrEqualTo(2 * Krpc.MAX_NODES);
                assertThat(r.values()).hasSizeLessThanOrEqualTo(Krpc.MAX_VALUES);
            }
            // What was kept fits one datagram again and decodes to the same message (error texts may
            // have been cut or had bad UTF-8 replaced, so only their code is compared).
            KrpcMessage again = Krpc.decode(Krpc.encode(m));
            if (m instanceof KrpcMessage.Error e) {
                assertThat(((KrpcMessage.Error) again).code()).isEqualTo(e.code());
            } else {
                assertThat(again).isEqualTo(m);
            }
        } catch (KrpcException expected) {
            // refused
        }
    }
}
