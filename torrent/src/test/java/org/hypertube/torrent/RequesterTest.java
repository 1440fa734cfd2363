package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hypertube.torrent.pieces.Block;
import org.hypertube.torrent.pieces.PiecePicker;
import org.junit.jupiter.api.Test;

/**
 * The requester over fake peers that record what they are asked, and a real picker. Time is the
 * {@code now} argument; a peer's rate is fed to its meter as bytes in the second before {@code T}.
 * Pieces are four blocks (64 KiB).
 */
class RequesterTest {
    private static final int BLOCKS = 4;
    private static final int PIECE = BLOCKS * Block.SIZE;
    private static final long T = 1_000_000;
    private static final long KIB = 1024;

    /** A source that records requests (one entry per batch), cancels and interest changes. */
    static final class FakePeer extends Peer {
        final List<List<Block>> batches = new ArrayList<>();
        final List<Block> cancelled = new ArrayList<>();
        int interestChanges;
        boolean closed;

        FakePeer(String key) {
            super(key);
            amInterested = true;
            peerChoking = false;
        }

        @Override
        boolean isClosed() {
            return closed;
        }

        @Override
        void close() {
            closed = true;
        }

        @Override
        void sendRequests(List<Block> blocks) {
            batches.add(List.copyOf(blocks));
        }

        @Override
        void sendCancel(Block b) {
            cancelled.add(b);
        }

        @Override
        void interestChanged() {
            interestChanges++;
        }

        @Override
        public String toString() {
            return key;
        }

        List<Block> requested() {
            return batches.stream().flatMap(List::stream).toList();
        }

        /** The peer delivered {@code b}: what the session does before asking for more. */
        void delivered(Block b, PiecePicker picker, long now) {
            outstanding.remove(b);
            picker.received(b);
            lastBlockAt = now;
        }
    }

    private final List<FakePeer> peers = new ArrayList<>();
    private PiecePicker picker;
    private Requester requester;

    private void torrent(int pieces) {
        picker = new PiecePicker(pieces, PIECE, (long) pieces * PIECE, new Random(1));
        requester = new Requester(picker, PIECE, InfoHash.parse("0123456789abcdef0123456789abcdef01234567"), 0);
    }

    /** A seed measured at {@code bytesPerSecond} at time {@link #T}. */
    private FakePeer seed(String key, long bytesPerSecond) {
        FakePeer p = new FakePeer(key);
        p.seed = true;
        picker.seedJoined();
        if (bytesPerSecond > 0) {
            p.down.add(bytesPerSecond, T);
        }
        peers.add(p);
        return p;
    }

    private FakePeer peerWith(String key, long bytesPerSecond, int... pieces) {
        FakePeer p = new FakePeer(key);
        for (int i : pieces) {
            p.has.set(i);
        }
        picker.peerBitfield(p.has);
        if (bytesPerSecond > 0) {
            p.down.add(bytesPerSecond, T);
        }
        peers.add(p);
        return p;
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    // ---- pipeline depth

    @Test
    void thePipelineGrowsWithTheMeasuredRateWithinThePeersQueueAndFiveHundred() {
        torrent(256);
        assertThat(requester.pipelineTarget(seed("new", 0), T)).as("nothing measured yet").isEqualTo(32);
        assertThat(requester.pipelineTarget(seed("slow", 50 * KIB), T)).as("3 s of 50 KiB/s is 9 blocks").isEqualTo(32);
        assertThat(requester.pipelineTarget(seed("1MiB", 1024 * KIB), T)).as("3 s of 1 MiB/s").isEqualTo(192);
        FakePeer fast = seed("fast", 100 * 1024 * KIB);
        assertThat(requester.pipelineTarget(fast, T)).as("the default reqq").isEqualTo(250);
        fast.peerRequestQueue = 2_000;
        assertThat(requester.pipelineTarget(fast, T)).as("our own bound").isEqualTo(500);
        fast.peerRequestQueue = 100;
        assertThat(requester.pipelineTarget(fast, T)).as("the peer's reqq").isEqualTo(100);
        fast.snubbed = true;
        assertThat(requester.pipelineTarget(fast, T)).isEqualTo(1);
    }

    @Test
    void aPeerIsAskedForAsManyBlocksAsItsPipelineAndASnubbedPeerForOne() {
        torrent(256);
        FakePeer p = seed("1MiB", 1024 * KIB);
        FakePeer snubbed = seed("snubbed", 1024 * KIB);
        snubbed.snubbed = true;
        requester.fill(p, false, peers, T);
        requester.fill(snubbed, false, peers, T);
        assertThat(p.batches).hasSize(1);
        assertThat(p.requested()).hasSize(192).doesNotHaveDuplicates();
        assertThat(p.outstanding).containsExactlyElementsOf(p.requested());
        assertThat(snubbed.requested()).hasSize(1).doesNotContainAnyElementsOf(p.requested());
    }

    /*
     * BEP 10's reqq is "the number of outstanding request messages this client supports without
     * dropping any". pipelineTarget applies MIN_PIPELINE (32) after the reqq cap, so a peer that
     * announces reqq 8 is sent 32 requests. Enable once the reqq bound wins over the minimum.
     */
    @Test
    void aPeerThatTakesFewRequestsIsNeverSentMore() {
        torrent(256);
        FakePeer small = seed("reqq8", 0);
        small.peerRequestQueue = 8;
        requester.fill(small, false, peers, T);
        assertThat(small.outstanding).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void requestsAreToppedUpInBatchesOfAnEighthOfThePipeline() {
        torrent(256);
        FakePeer p = seed("p", 0); // pipeline 32: batches of at least 4
        requester.fill(p, false, peers, T);
        List<Block> first = p.requested();
        for (int i = 0; i < 3; i++) {
            p.delivered(first.get(i), picker, T + i);
            requester.fill(p, false, peers, T + i);
        }
        assertThat(p.batches).as("three missing of 32: no top-up").hasSize(1);

        p.delivered(first.get(3), picker, T + 3);
        requester.fill(p, false, peers, T + 3);
        assertThat(p.batches).hasSize(2);
        assertThat(p.batches.get(1)).hasSize(4);
        assertThat(p.outstanding).hasSize(32);

        p.delivered(first.get(4), picker, T + 4);
        requester.fill(p, true, peers, T + 4);
        assertThat(p.batches.getLast()).as("a waiting reader skips the batching").hasSize(1);
    }

    @Test
    void aChokedPeerIsAskedOnlyForItsAllowedFastPiecesAndAnUninterestingOneForNothing() {
        torrent(16);
        FakePeer choked = seed("choked", 0);
        choked.peerChoking = true;
        requester.fill(choked, false, peers, T);
        assertThat(choked.batches).as("choked, nothing allowed fast").isEmpty();
        choked.allowedFast.add(9);
        requester.fill(choked, false, peers, T);
        assertThat(choked.requested()).extracting(Block::piece).containsOnly(9).hasSize(BLOCKS);

        FakePeer notInterested = seed("not interested", 0);
        notInterested.amInterested = false;
        requester.fill(notInterested, false, peers, T);
        assertThat(notInterested.batches).isEmpty();
    }

    // ---- strict endgame

    @Test
    void inEndgameOnlyIdlePeersAskForAtMostFourBlocksEachAskedOfAtMostTwoPeers() {
        torrent(2); // eight blocks
        FakePeer a = seed("a", 0);
        FakePeer b = seed("b", 0);
        FakePeer c = seed("c", 0);
        FakePeer d = seed("d", 0);
        requester.fill(a, false, peers, T);
        assertThat(a.requested()).hasSize(8);
        assertThat(picker.inEndgame()).isTrue();

        requester.fill(b, false, peers, T);
        requester.fill(b, false, peers, T + 1);
        assertThat(b.batches).as("b has requests out: it does not ask again").hasSize(1);
        requester.fill(c, false, peers, T);
        requester.fill(d, false, peers, T);
        assertThat(b.requested()).hasSize(4);
        assertThat(c.requested()).hasSize(4).doesNotContainAnyElementsOf(b.requested());
        assertThat(d.requested()).as("every block is asked of two peers already").isEmpty();
        for (Block blk : a.requested()) {
            assertThat(picker.requestCount(blk)).isEqualTo(2);
        }

        // b delivers one block: b is not idle yet, so it asks for nothing more, and a is told to keep it.
        Block won = b.requested().getFirst();
        b.delivered(won, picker, T + 10);
        SecondRequests.cancelElsewhere(b, won, peers);
        requester.fill(b, false, peers, T + 10);
        assertThat(b.batches).hasSize(1);
        assertThat(a.cancelled).containsExactly(won);
        assertThat(a.outstanding).doesNotContain(won).hasSize(7);
        assertThat(b.cancelled).isEmpty();
        assertThat(c.cancelled).isEmpty();
    }

    // ---- streaming deadlines

    @Test
    void aMuchSlowerPeerLeavesCriticalPiecesToAFasterPeerThatHasThem() {
        torrent(64);
        picker.setDeadline(0, 0); // the reader waits for it
        picker.setDeadline(1, 10_000); // ten seconds ahead
        FakePeer slow = seed("slow", 10 * KIB);
        FakePeer fast = seed("fast", 1024 * KIB);
        requester.fill(slow, false, peers, T);
        assertThat(slow.requested()).extracting(Block::piece).doesNotContain(0);
        assertThat(slow.requested().subList(0, BLOCKS)).as("the next deadline first").extracting(Block::piece).containsOnly(1);

        requester.fill(fast, false, peers, T);
        assertThat(fast.requested().subList(0, BLOCKS)).extracting(Block::piece).containsOnly(0);
    }

    @Test
    void aCriticalPieceGoesToTheSlowerPeerWhenNoFasterPeerCanServeIt() {
        torrent(64);
        picker.setDeadline(0, 0);
        FakePeer slow = seed("slow", 10 * KIB);
        peerWith("fast without piece 0", 1024 * KIB, range(1, 64));
        seed("fast but choking", 1024 * KIB).peerChoking = true;
        seed("fast but snubbed", 1024 * KIB).snubbed = true;
        seed("not much faster", 2 * 10 * KIB + 16 * KIB); // "much faster" is more than twice plus 16 KiB/s
        requester.fill(slow, false, peers, T);
        assertThat(slow.requested().subList(0, BLOCKS)).extracting(Block::piece).containsOnly(0);
    }

    @Test
    void rebalanceCancelsAPeersNewestBackgroundRequestsDownToTheStreamingQueueForStarvingDeadlineBlocks() {
        torrent(64);
        FakePeer p = seed("p", 0);
        requester.fill(p, false, peers, T); // no reader: 32 requests (3 s queue, at least 32)
        List<Block> background = p.requested();
        assertThat(background).hasSize(32);
        int urgent = java.util.stream.IntStream.range(0, 64)
                .filter(i -> background.stream().noneMatch(b -> b.piece() == i)).findFirst().orElseThrow();
        picker.setDeadline(urgent, 0); // a reader seeked there

        requester.rebalance(peers, T + 100);

        // Streaming: the queue holds 0.1 s of the rate, at least 8; the urgent piece's four blocks
        // come right after the four oldest background requests (likely in the peer's send buffer).
        assertThat(p.cancelled).as("the 28 newest background requests")
                .containsExactlyElementsOf(background.subList(4, 32).reversed());
        assertThat(p.batches.getLast()).extracting(Block::piece).containsOnly(urgent).hasSize(BLOCKS);
        assertThat(p.outstanding).hasSize(8).containsAll(background.subList(0, 4));
        for (Block b : p.cancelled) {
            assertThat(picker.isRequested(b)).as("given back to the picker").isFalse();
            assertThat(p.recentlyAborted).as("a late answer is still welcome").containsKey(b);
        }
    }

    @Test
    void aBlockGivenUpOnTwiceMayArriveTwiceAndBothCopiesCountAsAsked() {
        // Asked, cancelled, asked again, cancelled again: the peer had both requests in its send buffer
        // already and sends the block twice. Both answers were asked for (a peer is dropped after
        // TorrentSession.MAX_UNREQUESTED blocks never asked); a third copy was not.
        FakePeer p = new FakePeer("p");
        Block b = new Block(3, 0, 16 * 1024);
        p.rememberAborted(b);
        p.rememberAborted(b);
        assertThat(p.takeAborted(b)).isTrue();
        assertThat(p.takeAborted(b)).isTrue();
        assertThat(p.takeAborted(b)).isFalse();
        assertThat(p.takeAborted(new Block(3, 16 * 1024, 16 * 1024))).as("never given up on").isFalse();
    }

    @Test
    void theBlocksGivenUpOnAreBoundedOldestForgottenFirst() {
        FakePeer p = new FakePeer("p");
        for (int i = 0; i <= Peer.MAX_RECENTLY_ABORTED; i++) {
            p.rememberAborted(new Block(i, 0, 16 * 1024));
        }
        assertThat(p.recentlyAborted).hasSize(Peer.MAX_RECENTLY_ABORTED);
        assertThat(p.takeAborted(new Block(0, 0, 16 * 1024))).as("the oldest is forgotten").isFalse();
        assertThat(p.takeAborted(new Block(Peer.MAX_RECENTLY_ABORTED, 0, 16 * 1024))).isTrue();
    }

    @Test
    void whileReadersHaveWishesAPeersQueueHoldsATenthOfASecondOfItsRate() {
        torrent(256);
        FakePeer fast = seed("fast", 1024 * KIB);
        FakePeer slow = seed("slow", 50 * KIB);
        assertThat(requester.pipelineTarget(fast, T)).as("no reader: 3 s").isEqualTo(192);
        picker.setDeadline(10, 1);
        FakePeer faster = seed("faster", 4096 * KIB);
        assertThat(requester.pipelineTarget(faster, T)).as("0.1 s of 4 MiB/s").isEqualTo(25);
        assertThat(requester.pipelineTarget(fast, T)).as("0.1 s of 1 MiB/s is 6 blocks: at least 8").isEqualTo(8);
        assertThat(requester.pipelineTarget(slow, T)).as("at least 8").isEqualTo(8);
        picker.setDeadline(11, ReaderWishes.BLOCKED);
        assertThat(requester.pipelineTarget(faster, T)).as("0.1 s of 4 MiB/s, blocked too").isEqualTo(25);
        picker.clearDeadline(10);
        picker.clearDeadline(11);
        assertThat(requester.pipelineTarget(fast, T)).isEqualTo(192);
    }

    @Test
    void inTheFirstSecondAfterTheCheckQueuesAreShallowEvenWithoutAReader() {
        torrent(256);
        FakePeer fast = seed("fast", 1024 * KIB);
        InfoHash hash = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
        requester = new Requester(picker, PIECE, hash, T - 10);
        assertThat(requester.pipelineTarget(fast, T)).as("0.1 s of 1 MiB/s, at least 8: the Play's reader opens now").isEqualTo(8);
        requester.fill(fast, false, peers, T);
        assertThat(fast.requested()).as("background, a tenth of a second of it").hasSize(8);
        requester = new Requester(picker, PIECE, hash, T - Requester.START_MS + 1);
        assertThat(requester.pipelineTarget(fast, T)).isEqualTo(8);
        requester = new Requester(picker, PIECE, hash, T - Requester.START_MS);
        assertThat(requester.pipelineTarget(fast, T)).as("then 3 s of its rate for bulk").isEqualTo(192);
    }

    @Test
    void aBlockedReadersPieceComesBeforeReadaheadWhateverTheReadaheadsDeadlines() {
        torrent(64);
        for (int i = 0; i < 16; i++) {
            picker.setDeadline(i, 1 + i * 100L); // a reader's window, all asked for
        }
        FakePeer p = seed("only seed", 1024 * KIB);
        requester.fill(p, false, peers, T);
        List<Block> readahead = p.requested();
        assertThat(readahead).hasSize(8).extracting(Block::piece).allMatch(i -> i < 16); // 0.1 s of 1 MiB/s, at least 8

        picker.setDeadline(40, ReaderWishes.BLOCKED); // ffmpeg blocks on the cues at the end
        requester.rebalance(peers, T + 100);

        assertThat(p.cancelled).as("every readahead request, newest first").containsExactlyElementsOf(readahead.reversed());
        assertThat(p.batches.get(1)).as("then the blocked piece alone").extracting(Block::piece).containsOnly(40).hasSize(BLOCKS);
        assertThat(p.outstanding).extracting(Block::piece).containsOnly(40);

        // Once every block of the blocked piece is asked for, the readahead is asked for again, behind them.
        p.delivered(p.requested().get(8), picker, T + 200);
        requester.fill(p, false, peers, T + 200);
        assertThat(p.batches).hasSize(3);
        assertThat(p.batches.get(2)).extracting(Block::piece).allMatch(i -> i < 16);
        assertThat(p.outstanding).hasSize(8); // at least 8 while the reader is blocked
    }

    @Test
    void aBlockedReadersPieceIsSpreadOverTheFastestPeers() {
        torrent(64);
        picker.setDeadline(7, ReaderWishes.BLOCKED);
        FakePeer slow = seed("slow", 16 * KIB);
        FakePeer a = seed("a", 160 * KIB); // 0.2 s of 160 KiB/s: two blocks
        FakePeer b = seed("b", 160 * KIB);
        requester.rebalance(peers, T);
        assertThat(a.requested().subList(0, 2)).extracting(Block::piece).containsOnly(7);
        assertThat(b.requested().subList(0, 2)).extracting(Block::piece).containsOnly(7);
        assertThat(a.requested()).extracting(Block::piece).filteredOn(i -> i == 7).hasSize(2);
        assertThat(slow.requested()).extracting(Block::piece).doesNotContain(7);
        assertThat(picker.unrequestedBlocks(7)).isZero();
    }

    @Test
    void aPeerThatWouldDeliverABlockedReadersBlockSoonerAlsoAsksForItButNotOneThatWouldNot() {
        torrent(64);
        picker.setDeadline(3, ReaderWishes.BLOCKED);
        FakePeer slow = seed("slow", 32 * KIB);
        requester.fill(slow, false, peers, T); // its share: two blocks
        List<Block> slows = slow.requested();
        assertThat(slows).extracting(Block::piece).containsOnly(3).hasSize(2);
        FakePeer fast = seed("fast", 1024 * KIB);
        requester.fill(fast, false, peers, T); // the two blocks nobody was asked for
        requester.fill(fast, false, peers, T + 1); // then, endgame style, the slow peer's
        // At 32 KiB/s the slow peer delivers its k-th block after k/2 s; the fast one in tens of ms.
        assertThat(fast.requested().subList(0, BLOCKS)).doesNotHaveDuplicates().extracting(Block::piece).containsOnly(3);
        assertThat(fast.requested().subList(0, BLOCKS)).containsAll(slows);
        for (Block blk : slows) {
            assertThat(picker.requestCount(blk)).isEqualTo(2);
        }

        peers.clear();
        torrent(64);
        picker.setDeadline(3, ReaderWishes.BLOCKED);
        FakePeer quick = seed("quick", 1024 * KIB);
        requester.fill(quick, false, peers, T);
        assertThat(quick.requested()).extracting(Block::piece).containsOnly(3).hasSize(BLOCKS);
        FakePeer medium = seed("medium", 600 * KIB); // not "much slower": the critical rule lets it ask
        requester.fill(medium, false, peers, T);
        assertThat(medium.requested()).as("quick delivers each sooner than medium could").extracting(Block::piece).doesNotContain(3);
    }

    @Test
    void aBlockedReadersBlockIsLateAfterAQuarterOfASecondNotThree() {
        torrent(64);
        picker.setDeadline(0, ReaderWishes.BLOCKED);
        FakePeer first = seed("first", 160 * KIB);
        requester.fill(first, false, peers, T);
        List<Block> asked = first.requested();
        assertThat(asked).hasSize(2).extracting(Block::piece).containsOnly(0);
        FakePeer other = seed("other", 160 * KIB);
        other.amInterested = false; // not asked by fill: only the late rule may ask it
        requester.reRequestLate(peers, T + 249);
        assertThat(other.batches).isEmpty();
        other.amInterested = true;
        requester.reRequestLate(peers, T + 249);
        assertThat(other.batches).isEmpty();
        // At 160 KiB/s the first block is expected after 0.1 s (late at 0.25 s), the second after 0.2 s (late at 0.35 s).
        requester.reRequestLate(peers, T + 250);
        assertThat(other.requested()).containsExactly(asked.getFirst());
        requester.reRequestLate(peers, T + 349);
        assertThat(other.requested()).containsExactly(asked.getFirst());
        requester.reRequestLate(peers, T + 350);
        assertThat(other.requested()).containsExactlyInAnyOrderElementsOf(asked);
    }

    @Test
    void rebalanceCancelsNothingWhenThePeerCannotServeTheDeadlineOrAFasterPeerHasRoom() {
        torrent(64);
        FakePeer p = peerWith("p", 0, range(0, 32));
        requester.fill(p, false, peers, T);
        picker.setDeadline(40, 0); // p does not have it
        requester.rebalance(peers, T + 100);
        assertThat(p.cancelled).isEmpty();

        FakePeer fast = seed("fast, idle", 1024 * KIB);
        int free = java.util.stream.IntStream.range(0, 32)
                .filter(i -> p.requested().stream().noneMatch(b -> b.piece() == i)).findFirst().orElseThrow();
        picker.setDeadline(free, 0); // p could serve it, but the faster peer is asked first
        requester.rebalance(peers, T + 200);
        assertThat(p.cancelled).isEmpty();
        assertThat(fast.requested().subList(0, 2 * BLOCKS)).extracting(Block::piece).containsOnly(40, free);
    }

    @Test
    void aLateDeadlineBlockIsAskedOfTheFastestOtherPeerOnceDueAndNotBefore() {
        torrent(64);
        picker.setDeadline(0, 5_000); // five seconds ahead: not critical, the slow peer may take it
        FakePeer slow = seed("slow", 16 * KIB);
        FakePeer fast = seed("fast", 1024 * KIB);
        FakePeer medium = seed("medium", 512 * KIB);
        requester.fill(slow, false, peers, T);
        int firstAsked = slow.requested().size();
        List<Block> deadline = slow.requested().subList(0, BLOCKS);
        assertThat(deadline).extracting(Block::piece).containsOnly(0);
        // At 16 KiB/s block k is expected after (k+1) s; late 2 s after that, and never before 3 s.
        requester.reRequestLate(peers, T + 2_999);
        assertThat(fast.batches).isEmpty();

        requester.reRequestLate(peers, T + 3_000);
        assertThat(fast.requested()).containsExactly(deadline.get(0));
        assertThat(picker.requestCount(deadline.get(0))).isEqualTo(2);

        requester.reRequestLate(peers, T + 3_999);
        assertThat(fast.requested()).hasSize(1);
        requester.reRequestLate(peers, T + 4_000);
        assertThat(fast.requested()).containsExactly(deadline.get(0), deadline.get(1));

        // The fast peer delivers: the slow one is told to keep it.
        fast.delivered(deadline.get(0), picker, T + 4_100);
        SecondRequests.cancelElsewhere(fast, deadline.get(0), peers);
        assertThat(slow.cancelled).containsExactly(deadline.get(0));

        requester.reRequestLate(peers, T + 30_000);
        assertThat(fast.requested()).containsExactlyInAnyOrderElementsOf(deadline);
        assertThat(medium.batches).as("a block is asked of two peers at most").isEmpty();
        assertThat(slow.requested()).as("only what it was first asked").hasSize(firstAsked);
    }

    @Test
    void aDeadlineBlockOfAFastPeerIsLateAfterThreeSeconds() {
        torrent(64);
        picker.setDeadline(0, 0);
        FakePeer fast = seed("fast", 1024 * KIB);
        FakePeer other = seed("other", 1024 * KIB);
        requester.fill(fast, false, peers, T);
        assertThat(fast.requested().subList(0, BLOCKS)).extracting(Block::piece).containsOnly(0);
        requester.reRequestLate(peers, T + 2_999);
        assertThat(other.batches).isEmpty();
        requester.reRequestLate(peers, T + 3_000);
        assertThat(other.requested()).containsExactlyInAnyOrderElementsOf(fast.requested().subList(0, BLOCKS));
    }

    @Test
    void aLateBackgroundBlockIsNotAskedAgain() {
        torrent(64);
        FakePeer slow = seed("slow", 16 * KIB);
        FakePeer fast = seed("fast", 1024 * KIB);
        requester.fill(slow, false, peers, T);
        picker.setDeadline(63, 0); // deadlines exist, but none of slow's blocks has one
        requester.reRequestLate(peers, T + 60_000);
        assertThat(fast.batches).isEmpty();
    }

    // ---- snubbing

    @Test
    void aSilentPeerIsSnubbedAfterTheTimeoutAndItsBlocksGoToAnother() {
        torrent(64);
        FakePeer silent = seed("silent", 0);
        FakePeer other = seed("other", 0);
        requester.fill(silent, false, peers, T);
        List<Block> asked = silent.requested();

        assertThat(requester.snubIfSilent(silent, T + 60_000, 60_000)).isFalse();
        assertThat(silent.outstanding).hasSize(32);

        assertThat(requester.snubIfSilent(silent, T + 60_001, 60_000)).as("first snub").isTrue();
        assertThat(silent.snubbed).isTrue();
        assertThat(silent.outstanding).isEmpty();
        assertThat(silent.recentlyAborted.keySet()).containsExactlyElementsOf(asked);
        assertThat(requester.pipelineTarget(silent, T + 60_001)).isEqualTo(1);

        requester.fill(other, false, peers, T + 60_002);
        assertThat(other.requested()).containsExactlyInAnyOrderElementsOf(asked);
    }

    @Test
    void aPeerThatDeliveredRecentlyIsNotSnubbed() {
        torrent(64);
        FakePeer p = seed("p", 0);
        requester.fill(p, false, peers, T);
        p.delivered(p.requested().getFirst(), picker, T + 50_000);
        assertThat(requester.snubIfSilent(p, T + 100_000, 60_000)).isFalse();
        assertThat(p.snubbed).isFalse();
        assertThat(p.outstanding).hasSize(31);
        assertThat(requester.snubIfSilent(p, T + 110_001, 60_000)).isTrue();
    }
}
