package org.hypertube.torrent.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressVotesTest {
    private final AddressVotes votes = new AddressVotes();

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void threeDistinctVotersAgreeAndOneVoterCountsOnceHoweverOftenItVotes() throws Exception {
        InetAddress ours = ip("203.0.113.5");
        assertThat(votes.vote(ip("198.51.100.1"), ours)).isEmpty();
        assertThat(votes.vote(ip("198.51.100.1"), ours)).isEmpty();
        assertThat(votes.vote(ip("198.51.100.1"), ours)).isEmpty();
        assertThat(votes.vote(ip("198.51.100.2"), ours)).isEmpty();
        assertThat(votes.agreed()).isEmpty();
        assertThat(votes.vote(ip("198.51.100.3"), ours)).contains(ours);
        assertThat(votes.vote(ip("198.51.100.4"), ours)).isEmpty(); // agreed already: no change to report
        assertThat(votes.agreed()).contains(ours);
    }

    @Test
    void liarsMustOutnumberTheHonestToMoveItAndATieMovesNothing() throws Exception {
        InetAddress ours = ip("203.0.113.5");
        InetAddress lie = ip("192.0.2.66");
        for (int i = 1; i <= 3; i++) {
            votes.vote(ip("198.51.100." + i), ours);
        }
        for (int i = 1; i <= 3; i++) {
            assertThat(votes.vote(ip("192.0.2." + i), lie)).isEmpty();
        }
        assertThat(votes.agreed()).contains(ours);
        // A voter that changes its mind counts for its latest report only.
        assertThat(votes.vote(ip("198.51.100.1"), lie)).contains(lie);
    }

    @Test
    void reportsThatCannotBeOurAddressAreIgnored() throws Exception {
        for (int i = 1; i <= 3; i++) {
            votes.vote(ip("198.51.100." + i), ip("0.0.0.0"));
            votes.vote(ip("198.51.100." + i), ip("224.0.0.1"));
            votes.vote(ip("198.51.100." + i), ip("2001:db8::1"));
            votes.vote(ip("198.51.100." + i), ip("198.51.100." + i)); // the voter's own address
        }
        assertThat(votes.agreed()).isEmpty();
    }

    @Test
    void onlyTheLatestVotersAreKept() throws Exception {
        for (int i = 1; i <= 3; i++) {
            votes.vote(ip("198.51.100." + i), ip("203.0.113.5"));
        }
        // Enough newer voters push the first three out; these three then decide.
        for (int i = 0; i < AddressVotes.MAX_VOTERS; i++) {
            votes.vote(ip("10.0." + (i / 250) + "." + (i % 250 + 1)), ip("203.0.113." + (100 + i % 60)));
        }
        assertThat(votes.vote(ip("192.0.2.1"), ip("203.0.113.9"))).isEmpty();
        assertThat(votes.vote(ip("192.0.2.2"), ip("203.0.113.9"))).isEmpty();
        assertThat(votes.vote(ip("192.0.2.3"), ip("203.0.113.9"))).contains(ip("203.0.113.9"));
    }
}
