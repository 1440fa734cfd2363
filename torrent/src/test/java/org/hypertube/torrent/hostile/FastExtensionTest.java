package org.hypertube.torrent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hypertube.torrent.Torrent;
import org.hypertube.torrent.TorrentClient;
import org.hypertube.torrent.Metainfo;
import org.hypertube.torrent.TorrentCreator;
import org.hypertube.torrent.peer.AllowedFastSet;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.testing.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BEP 6 as the sender: Allowed Fast sets for peers we choke, served while choked; Suggest for fresh pieces. */
@Timeout(60)
class FastExtensionTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    @TempDir
    Path tmp;
    private Path data;
    private Metainfo m;

    @BeforeEach
    void setUp() throws Exception {
        data = TestData.file(tmp.resolve("seed/film.bin"), 3_000_000, 5);
        m = Metainfo.parse(new TorrentCreator().pieceLength(32 * 1024).create(data));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        toClose.add(c);
        return c;
    }

    private static PeerMessage next(DataInputStream in) throws java.io.IOException {
        return MessageCodec.read(in, 1 << 20);
    }

    @Test
    void aChokedPeerGetsItsCanonicalAllowedFastSetAndThosePiecesAreServedWhileChoked() throws Exception {
        // One upload slot, taken by nobody: the scripted peer never says it is interested, so it stays choked.
        TorrentClient seeder = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(tmp.resolve("seed"))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).uploadSlots(1).build());
        Torrent t = seeder.add(m);
        int pieces = m.info().pieceCount();
        List<Integer> canonical = AllowedFastSet.generate(InetAddress.getLoopbackAddress(), m.infoHash(), pieces, 10);
        int allowed = canonical.get(0);
        int other = java.util.stream.IntStream.range(0, pieces).filter(i -> !canonical.contains(i)).findFirst().orElseThrow();
        CompletableFuture<Set<Integer>> granted = new CompletableFuture<>();
        CompletableFuture<PeerMessage> allowedAnswer = new CompletableFuture<>();
        CompletableFuture<PeerMessage> otherAnswer = new CompletableFuture<>();
        ScriptedPeer peer = track(new ScriptedPeer(m.infoHash(), (in, out, sp) -> {
            ScriptedPeer.send(out, new PeerMessage.HaveNone());
            Set<Integer> got = new HashSet<>();
            while (got.size() < 10) {
                PeerMessage msg = next(in);
                if (msg instanceof PeerMessage.AllowedFast(int piece)) {
                    got.add(piece);
                } else if (msg instanceof PeerMessage.Unchoke) {
                    throw new AssertionError("unchoked although not interested");
                }
            }
            granted.complete(got);
            ScriptedPeer.send(out, new PeerMessage.Request(allowed, 0, 16384));
            ScriptedPeer.send(out, new PeerMessage.Request(other, 0, 16384));
            while (!allowedAnswer.isDone() || !otherAnswer.isDone()) {
                PeerMessage msg = next(in);
                int piece = switch (msg) {
                    case PeerMessage.Piece p -> p.piece();
                    case PeerMessage.Reject r -> r.piece();
                    default -> -1;
                };
                (piece == allowed ? allowedAnswer : piece == other ? otherAnswer : new CompletableFuture<PeerMessage>()).complete(msg);
            }
        }));
        t.connect(peer.address());
        assertThat(granted.get(20, TimeUnit.SECONDS)).containsExactlyInAnyOrderElementsOf(canonical);
        PeerMessage served = allowedAnswer.get(20, TimeUnit.SECONDS);
        assertThat(served).isInstanceOf(PeerMessage.Piece.class);
        byte[] expected = Arrays.copyOfRange(Files.readAllBytes(data), allowed * 32 * 1024, allowed * 32 * 1024 + 16384);
        assertThat(((PeerMessage.Piece) served).data()).isEqualTo(expected);
        assertThat(otherAnswer.get(20, TimeUnit.SECONDS)).isEqualTo(new PeerMessage.Reject(other, 0, 16384));
    }

    @Test
    void aDownloaderSuggestsEachPieceItJustVerifiedToInterestedPeersItUnchokes() throws Exception {
        TorrentClient seeder = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(tmp.resolve("seed"))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).uploadRateLimit(1_000_000).build());
        seeder.add(m);
        TorrentClient leech = track(TorrentClient.builder().allowLocalAddresses(true).downloadDirectory(Files.createDirectories(tmp.resolve("leech")))
                .bindAddress(InetAddress.getLoopbackAddress()).port(0).build());
        Torrent t = leech.add(m);
        CompletableFuture<List<PeerMessage>> seen = new CompletableFuture<>();
        CompletableFuture<Void> unchoked = new CompletableFuture<>();
        ScriptedPeer peer = track(new ScriptedPeer(m.infoHash(), (in, out, sp) -> {
            ScriptedPeer.send(out, new PeerMessage.HaveNone());
            ScriptedPeer.send(out, new PeerMessage.Interested());
            List<PeerMessage> got = new ArrayList<>();
            int suggests = 0;
            while (suggests < 3) {
                PeerMessage msg = next(in);
                if (msg instanceof PeerMessage.Have || msg instanceof PeerMessage.Suggest || msg instanceof PeerMessage.Unchoke) {
                    got.add(msg);
                }
                if (msg instanceof PeerMessage.Suggest) {
                    suggests++;
                }
                if (msg instanceof PeerMessage.Unchoke) {
                    unchoked.complete(null);
                }
            }
            seen.complete(got);
        }));
        t.connect(peer.address());
        // The seeder comes only once we are unchoked, so no piece can be verified (and had) before that.
        unchoked.get(20, TimeUnit.SECONDS);
        t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), seeder.port()));
        List<PeerMessage> got = seen.get(30, TimeUnit.SECONDS);
        assertThat(got.getFirst()).isInstanceOf(PeerMessage.Unchoke.class);
        for (int i = 0; i < got.size(); i++) {
            if (got.get(i) instanceof PeerMessage.Suggest(int piece)) {
                assertThat(got.get(i - 1)).as("a suggestion follows the have of the same piece").isEqualTo(new PeerMessage.Have(piece));
            }
        }
    }
}
