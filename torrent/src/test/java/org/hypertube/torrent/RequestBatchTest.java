package org.hypertube.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.hypertube.torrent.peer.MessageCodec;
import org.hypertube.torrent.peer.PeerMessage;
import org.hypertube.torrent.pieces.Block;
import org.junit.jupiter.api.Test;

class RequestBatchTest {
    @Test
    void aBatchIsTheRequestMessagesBackToBack() {
        byte[] batch = PeerConnection.encodeRequests(List.of(new Block(1, 16384, 16384), new Block(7, 0, 100)));
        assertThat(HexFormat.of().formatHex(batch))
                .isEqualTo("0000000d06" + "00000001" + "00004000" + "00004000" + "0000000d06" + "00000007" + "00000000" + "00000064");
        byte[] one = MessageCodec.encode(new PeerMessage.Request(7, 0, 100));
        assertThat(java.util.Arrays.copyOfRange(batch, 17, 34)).isEqualTo(one);
    }
}
