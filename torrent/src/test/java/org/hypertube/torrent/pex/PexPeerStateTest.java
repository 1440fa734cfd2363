package org.hypertube.torrent.pex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hypertube.torrent.pex.PexCodecTest.at;
import static org.hypertube.torrent.pex.PexCodecTest.peer;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.hypertube.torrent.testing.ManualClock;
import org.junit.jupiter.api.Test;

class PexPeerStateTest {
    static final InetSocketAddress RECIPIENT = at("203.0.113.9", 6881);
    static final InetSocketAddress US = at("198.51.100.1", 6881);

    final ManualClock clock = new ManualClock();
    final PexPeerState state = new PexPeerState(RECIPIENT, Set.of(US), clock);

    /** Peers 44.0.0.from .. 44.0.0.to (public addresses), port 6881, flags = seed. */
    static List<PexPeer> peers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> peer("44.0.%d.%d".formatted(i / 256, i % 256), 6881, PexPeer.SEED))
                .toList();
    }

    static List<InetSocketAddress> addresses(List<PexPeer> peers) {
        return peers.stream().map(PexPeer::address).toList();
    }

    PexMessage send(List<PexPeer> live) {
        return state.nextMessage(live).orElseThrow();
    }

    @Test
    void theFirstMessageListsEveryLivePeerButTheRecipientUpTo200() {
        List<PexPeer> live = new ArrayList<>(peers(1, 250));
        live.add(10, new PexPeer(RECIPIENT, 0));
        live.add(peer("2001:db8::7", 6881, PexPeer.UTP));
        PexMessage first = send(live);
        assertThat(first.added()).isEqualTo(peers(1, 200));
        assertThat(first.allDropped()).isEmpty();
        assertThat(first.added6()).isEmpty();
    }

    @Test
    void laterMessagesCarryTheDifferenceAtMost50Each_TheRestWaitsForTheNextMinute() {
        send(peers(1, 100));
        clock.advance(PexPeerState.SEND_INTERVAL);
        assertThat(state.nextMessage(peers(1, 100))).as("nothing changed").isEmpty();

        List<PexPeer> live = new ArrayList<>(peers(31, 180));   // 1..30 left, 101..180 joined
        live.add(peer("2001:db8::7", 6881, PexPeer.UTP));
        PexMessage second = send(live);
        assertThat(second.added()).isEqualTo(peers(101, 150));
        assertThat(second.dropped()).isEqualTo(addresses(peers(1, 30)));

        clock.advance(Duration.ofSeconds(59));
        assertThat(state.nextMessage(live)).as("59 s after the last one").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        PexMessage third = send(live);
        assertThat(third.added()).isEqualTo(peers(151, 180));
        assertThat(third.added6()).containsExactly(peer("2001:db8::7", 6881, PexPeer.UTP));
        assertThat(third.allDropped()).isEmpty();
    }

    @Test
    void droppedListsSpillOverTooAndEveryAddedPeerIsDroppedOnceItLeaves() {
        send(peers(1, 120));
        clock.advance(PexPeerState.SEND_INTERVAL);
        assertThat(send(List.of()).dropped()).isEqualTo(addresses(peers(1, 50)));
        clock.advance(PexPeerState.SEND_INTERVAL);
        assertThat(send(List.of()).dropped()).isEqualTo(addresses(peers(51, 100)));
        clock.advance(PexPeerState.SEND_INTERVAL);
        assertThat(send(List.of()).dropped()).isEqualTo(addresses(peers(101, 120)));
        clock.advance(PexPeerState.SEND_INTERVAL);
        assertThat(state.nextMessage(List.of())).isEmpty();
    }

    @Test
    void aPeerThatLeavesAndComesBackBetweenTwoMessagesIsNotMentioned_OneThatLeftBeforeBeingListedNeverIs() {
        send(peers(1, 2));
        clock.advance(Duration.ofSeconds(30));
        assertThat(state.nextMessage(peers(2, 2))).isEmpty();      // too soon: peer 1 left meanwhile
        clock.advance(Duration.ofSeconds(30));
        assertThat(state.nextMessage(peers(1, 2))).isEmpty();      // and came back: nothing to say

        List<PexPeer> many = peers(1, 60);
        clock.advance(PexPeerState.SEND_INTERVAL);
        assertThat(send(many).added()).isEqualTo(peers(3, 52));
        clock.advance(PexPeerState.SEND_INTERVAL);
        assertThat(send(peers(1, 55))).isEqualTo(PexMessage.of(peers(53, 55), List.of()));
    }

    @Test
    void anEmptyTorrentSendsNothingAndTheFirstListWaitsForPeers() {
        assertThat(state.nextMessage(List.of(new PexPeer(RECIPIENT, 0)))).isEmpty();
        assertThat(send(peers(1, 1)).added()).isEqualTo(peers(1, 1));
        clock.advance(Duration.ofSeconds(10));
        assertThat(state.nextMessage(peers(1, 2))).isEmpty();
    }

    @Test
    void receivedPeersBecomeCandidatesTaggedWithTheSender_WithoutUsTheSenderOrRepeats() {
        PexMessage m = PexMessage.of(List.of(peer("44.1.0.1", 6881, PexPeer.SEED), new PexPeer(US, 0), new PexPeer(RECIPIENT, 0),
                peer("2001:db8::1", 51413, PexPeer.REACHABLE)), List.of());
        List<PexCandidate> got = state.receive(m);
        assertThat(got).extracting(PexCandidate::address).containsExactly(at("44.1.0.1", 6881), at("2001:db8::1", 51413));
        assertThat(got).allSatisfy(c -> assertThat(c.source()).isEqualTo(RECIPIENT));
        assertThat(got.getFirst().peer().has(PexPeer.SEED)).isTrue();

        clock.advance(PexPeerState.MIN_RECEIVE_INTERVAL);
        assertThat(state.receive(m)).as("already learned from this peer").isEmpty();
        clock.advance(PexPeerState.MIN_RECEIVE_INTERVAL);
        state.receive(PexMessage.of(List.of(), List.of(at("44.1.0.1", 6881))));
        clock.advance(PexPeerState.MIN_RECEIVE_INTERVAL);
        assertThat(state.receive(m)).extracting(PexCandidate::address).containsExactly(at("44.1.0.1", 6881));
    }

    @Test
    void aMessageSoonerThan45SecondsAfterTheLastIsIgnoredAndCounted() {
        assertThat(state.receive(PexMessage.of(peers(1, 1), List.of()))).hasSize(1);
        clock.advance(Duration.ofSeconds(44));
        assertThat(state.receive(PexMessage.of(peers(2, 2), List.of()))).isEmpty();
        assertThat(state.tooFrequent()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));   // 45 s after the last accepted one, not after the ignored one
        assertThat(state.receive(PexMessage.of(peers(2, 2), List.of()))).hasSize(1);
        assertThat(state.tooFrequent()).isEqualTo(1);
    }

    @Test
    void atMost200AddressesFromOnePeerAreHeldAtATime() {
        assertThat(state.receive(PexMessage.of(peers(1, 150), List.of()))).hasSize(150);
        clock.advance(PexPeerState.MIN_RECEIVE_INTERVAL);
        assertThat(state.receive(PexMessage.of(peers(151, 300), List.of()))).isEqualTo(candidates(peers(151, 200)));
        clock.advance(PexPeerState.MIN_RECEIVE_INTERVAL);
        assertThat(state.receive(PexMessage.of(peers(201, 210), addresses(peers(1, 5))))).isEqualTo(candidates(peers(201, 205)));
    }

    @Test
    void localAddressesAreTakenOnlyFromALocalSender() {
        PexMessage local = PexMessage.of(List.of(peer("127.0.0.1", 7000, 0), peer("192.168.1.5", 7001, 0), peer("169.254.1.1", 7002, 0),
                peer("fd00::1", 7003, 0), peer("fe80::1", 7004, 0), peer("8.8.8.8", 7005, 0)), List.of());
        assertThat(state.receive(local)).extracting(PexCandidate::address).containsExactly(at("8.8.8.8", 7005));

        InetSocketAddress loopbackPeer = at("127.0.0.1", 6000);
        var onLoopback = new PexPeerState(loopbackPeer, Set.of(at("127.0.0.1", 6881)), clock);
        PexMessage fromLibtorrent = PexMessage.of(List.of(peer("127.0.0.1", 6881, 0), peer("127.0.0.1", 6001, 0),
                peer("127.0.0.1", 6000, 0), peer("127.0.0.1", 6002, PexPeer.SEED)), List.of());
        assertThat(onLoopback.receive(fromLibtorrent)).extracting(PexCandidate::address)
                .containsExactly(at("127.0.0.1", 6001), at("127.0.0.1", 6002));
    }

    List<PexCandidate> candidates(List<PexPeer> peers) {
        return peers.stream().map(p -> new PexCandidate(p, RECIPIENT)).toList();
    }
}
