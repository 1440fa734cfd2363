package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hypertube.torrent.peer.ExtensionHandshake;
import org.hypertube.torrent.pex.PexCodec;
import org.hypertube.torrent.pex.PexMessage;
import org.hypertube.torrent.pex.PexPeer;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.Test;

/** ut_pex in the session's extension registry: what it tells peers, what it learns, and never for a private torrent. */
class PexExtensionTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicBoolean publicTorrent = new AtomicBoolean(true);
    private final List<PexPeer> live = new ArrayList<>();
    private final List<InetSocketAddress> learned = new ArrayList<>();
    private final PexExtension pex = new PexExtension(InfoHash.parse("0123456789abcdef0123456789abcdef01234567"),
            publicTorrent::get, () -> live, Set.of(addr(6881)), clock);
    private final Extensions extensions = new Extensions();

    PexExtensionTest() {
        extensions.register(1, pex);
        pex.start((peers, source) -> {
            assertThat(source).isEqualTo("pex");
            learned.addAll(peers);
        });
    }

    private static InetSocketAddress addr(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** A peer that speaks ut_pex under id 7 and keeps what we send it. */
    private static final class Speaker implements ExtensionPeer {
        final int port;
        final List<PexMessage> got = new ArrayList<>();

        Speaker(int port) {
            this.port = port;
        }

        @Override
        public int extensionId(String name) {
            return name.equals(PexCodec.EXTENSION_NAME) ? 7 : 0;
        }

        @Override
        public void sendExtended(int theirId, byte[] payload) {
            assertThat(theirId).isEqualTo(7);
            try {
                got.add(PexCodec.decode(payload));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public InetSocketAddress address() {
            return addr(port);
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public boolean outgoing() {
            return true;
        }
    }

    private static ExtensionHandshake speaksPex() {
        return new ExtensionHandshake(Map.of(PexCodec.EXTENSION_NAME, 7), OptionalInt.empty(), Optional.empty(),
                OptionalInt.empty(), OptionalInt.empty());
    }

    @Test
    void aPeerIsToldOurOtherPeersAtMostOnceAMinuteAndWhatItTellsUsBecomesCandidates() throws Exception {
        Speaker a = new Speaker(7001);
        extensions.onHandshake(a, speaksPex());
        live.addAll(List.of(new PexPeer(addr(7001), PexPeer.REACHABLE), new PexPeer(addr(7002), PexPeer.SEED)));

        extensions.tick(clock.millis());
        assertThat(a.got).hasSize(1);
        assertThat(a.got.getFirst().allAdded()).extracting(PexPeer::address).containsExactly(addr(7002));

        live.add(new PexPeer(addr(7003), 0));
        clock.advance(Duration.ofSeconds(30));
        extensions.tick(clock.millis());
        assertThat(a.got).as("not again within a minute").hasSize(1);
        clock.advance(Duration.ofSeconds(31));
        extensions.tick(clock.millis());
        assertThat(a.got).hasSize(2);
        assertThat(a.got.get(1).allAdded()).extracting(PexPeer::address).containsExactly(addr(7003));

        extensions.onMessage(a, 1, PexCodec.encode(PexMessage.of(List.of(new PexPeer(addr(7100), 0), new PexPeer(addr(6881), 0)),
                List.of())));
        assertThat(learned).as("our own address left out").containsExactly(addr(7100));
    }

    @Test
    void aPrivateTorrentNeitherAdvertisesNorSpeaksPex() throws Exception {
        publicTorrent.set(false);
        assertThat(extensions.ourIds()).doesNotContainKey(PexCodec.EXTENSION_NAME);
        Speaker a = new Speaker(7001);
        extensions.onHandshake(a, speaksPex());
        live.add(new PexPeer(addr(7002), 0));
        extensions.tick(clock.millis());
        extensions.onMessage(a, 1, PexCodec.encode(PexMessage.of(List.of(new PexPeer(addr(7100), 0)), List.of())));
        assertThat(a.got).isEmpty();
        assertThat(learned).isEmpty();

        publicTorrent.set(true);
        assertThat(extensions.ourIds()).containsEntry(PexCodec.EXTENSION_NAME, 1);
    }
}
