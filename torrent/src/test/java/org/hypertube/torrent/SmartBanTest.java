package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.hypertube.torrent.pieces.Block;
import org.junit.jupiter.api.Test;

/**
 * Who is blamed for corrupt data. A piece here is three full blocks and a short last one; a failed
 * attempt is the good data with the blocks named in {@code corrupt} altered. Senders are written one
 * character per block, as in the picker tests: "AABB" = blocks 0 and 1 from A, 2 and 3 from B,
 * '.' = a block whose sender is not known.
 */
class SmartBanTest {
    private static final int PIECE = 3 * Block.SIZE + 1_000;
    private static final SmartBan.Span[] SPANS = {
            new SmartBan.Span(0, Block.SIZE), new SmartBan.Span(Block.SIZE, Block.SIZE),
            new SmartBan.Span(2 * Block.SIZE, Block.SIZE), new SmartBan.Span(3 * Block.SIZE, 1_000)};

    private final SmartBan ban = new SmartBan();

    private static ByteBuffer good(int piece) {
        byte[] data = new byte[PIECE];
        new Random(piece).nextBytes(data);
        return ByteBuffer.wrap(data);
    }

    /** The good data of {@code piece} with one byte changed in each block listed in {@code corrupt}. */
    private static ByteBuffer corrupt(int piece, int... corruptBlocks) {
        byte[] data = good(piece).array().clone();
        for (int b : corruptBlocks) {
            data[SPANS[b].begin() + SPANS[b].length() - 1] ^= 0x5a;
        }
        return ByteBuffer.wrap(data);
    }

    private static String[] senders(String perBlock) {
        String[] who = new String[perBlock.length()];
        for (int i = 0; i < who.length; i++) {
            who[i] = perBlock.charAt(i) == '.' ? null : "peer-" + perBlock.charAt(i);
        }
        return who;
    }

    @Test
    void onlyTheSenderWhoseBlockDiffersFromTheGoodDataIsNamedOnceThePiecePasses() {
        assertThat(ban.pieceFailed(7, corrupt(7, 1), senders("AABB"), SPANS)).as("nobody can be blamed yet").isEmpty();
        assertThat(ban.pending(7)).isTrue();

        assertThat(ban.piecePassed(7, good(7))).containsExactly("peer-A");
        assertThat(ban.pending(7)).as("the record is dropped once compared").isFalse();
        assertThat(ban.piecePassed(7, good(7))).as("compared once only").isEmpty();
    }

    @Test
    void aCorruptShortLastBlockBlamesItsSender() {
        ban.pieceFailed(2, corrupt(2, 3), senders("AAAB"), SPANS);
        assertThat(ban.piecePassed(2, good(2))).containsExactly("peer-B");
    }

    @Test
    void everySenderOfADifferingBlockIsNamedAndTheHonestOnesAreNot() {
        ban.pieceFailed(4, corrupt(4, 0, 3), senders("ABCD"), SPANS);
        assertThat(ban.piecePassed(4, good(4))).containsExactlyInAnyOrder("peer-A", "peer-D");
    }

    @Test
    void aCorruptBlockFromAnUnknownSenderBlamesNobody() {
        ban.pieceFailed(5, corrupt(5, 2), senders("AB.B"), SPANS);
        assertThat(ban.piecePassed(5, good(5))).isEmpty();
    }

    @Test
    void aPeerThatAloneSentTwoFailedPiecesIsBannedAtTheSecond() {
        assertThat(ban.pieceFailed(1, corrupt(1, 0), senders("CCCC"), SPANS)).isEmpty();
        assertThat(ban.pieceFailed(3, corrupt(3, 2), senders("CCCC"), SPANS)).containsExactly("peer-C");
    }

    @Test
    void sendersSharingFailedPiecesAreNeverBannedByTheStrikeRule() {
        for (int piece = 0; piece < 5; piece++) {
            assertThat(ban.pieceFailed(piece, corrupt(piece, 0), senders("AABB"), SPANS))
                    .as("failure %d shared by A and B", piece).isEmpty();
        }
    }

    @Test
    void aPieceThatPassesWithNoFailureOnRecordNamesNobody() {
        ban.pieceFailed(1, corrupt(1, 0), senders("AABB"), SPANS);
        assertThat(ban.pending(9)).isFalse();
        assertThat(ban.piecePassed(9, good(9))).isEmpty();
        assertThat(ban.pending(1)).as("another piece's record is untouched").isTrue();
    }
}
