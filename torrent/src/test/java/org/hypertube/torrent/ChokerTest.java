package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The choker on a controlled clock: tit-for-tat with optimistic unchoke, and round robin when seeding. */
class ChokerTest {
    private static Choker.View peer(String id, long rate) {
        return new Choker.View(id, true, true, rate, 0, 0);
    }

    @Test
    void downloadingRewardsTheFastestUploadersAndAddsOneOptimistic() {
        Choker c = new Choker(new Random(1));
        List<Choker.View> peers = List.of(peer("slow", 10), peer("fast", 900), peer("mid", 500), peer("medium", 400),
                peer("idle1", 0), peer("idle2", 0), new Choker.View("uninterested", false, true, 10_000, 0, 0));
        Set<Object> unchoked = c.decide(peers, false, 4, 0);
        assertThat(unchoked).hasSize(4).contains("fast", "mid", "medium").doesNotContain("uninterested");
        assertThat(c.optimistic()).isIn("slow", "idle1", "idle2");
        assertThat(unchoked).contains(c.optimistic());
    }

    @Test
    void theOptimisticSlotRotatesEveryThirtySecondsOnly() {
        Choker c = new Choker(new Random(7));
        List<Choker.View> peers = new ArrayList<>();
        peers.add(peer("fast", 900));
        for (int i = 0; i < 6; i++) {
            peers.add(peer("p" + i, 0));
        }
        c.decide(peers, false, 2, 0);
        Object first = c.optimistic();
        c.decide(peers, false, 2, 10_000);
        c.decide(peers, false, 2, 29_999);
        assertThat(c.optimistic()).isEqualTo(first);
        Set<Object> seen = new HashSet<>();
        for (long t = 30_000; t < 30_000 * 40; t += 30_000) {
            c.decide(peers, false, 2, t);
            seen.add(c.optimistic());
        }
        assertThat(seen).as("every waiting peer gets its optimistic turn").hasSize(6);
    }

    @Test
    void seedingGivesEachPeerASlotInTurn() {
        Choker c = new Choker(new Random(1));
        // a and b hold slots since t=0; c and d wait, d longest.
        List<Choker.View> peers = List.of(new Choker.View("a", true, false, 0, 0, 0), new Choker.View("b", true, false, 0, 0, 0),
                new Choker.View("c", true, true, 0, 0, 500), new Choker.View("d", true, true, 0, 0, 100));
        assertThat(c.decide(peers, true, 2, 10_000)).containsExactlyInAnyOrder("a", "b");
        assertThat(c.decide(peers, true, 2, 30_000)).containsExactlyInAnyOrder("d", "c");
        assertThat(c.decide(peers, true, 3, 30_000)).containsExactlyInAnyOrder("d", "c", "a");
    }

    @Test
    void nobodyInterestedMeansNobodyUnchoked() {
        Choker c = new Choker(new Random(1));
        assertThat(c.decide(List.of(new Choker.View("x", false, false, 5, 0, 0)), false, 4, 0)).isEmpty();
        assertThat(c.optimistic()).isNull();
    }
}
