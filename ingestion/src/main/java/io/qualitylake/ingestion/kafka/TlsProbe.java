package io.qualitylake.ingestion.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tells a plain-text client that failed to reach its broker whether that broker listens with TLS: a broker that
 * closes plain-text connections looks, to the Kafka client, like one that does not answer. Only a TLS handshake is
 * made (any certificate is accepted: nothing is sent over the connection, it only tells protocols apart).
 */
final class TlsProbe {
    private TlsProbe() {}

    /** True when the client is plain text (no security.protocol, or PLAINTEXT) and its first bootstrap server completes a TLS handshake. */
    static boolean plaintextClientOnTlsBroker(java.util.Properties client) {
        String protocol = client.getProperty("security.protocol", "PLAINTEXT");
        String first = client.getProperty("bootstrap.servers", "").split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (!protocol.equalsIgnoreCase("PLAINTEXT") || colon < 0) {
            return false;
        }
        try {
            return speaksTls(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean speaksTls(String host, int port) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new AcceptAny()}, null);
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(host, port), 2000);
                raw.setSoTimeout(3000);
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, false)) {
                    s.startHandshake();
                    return true;
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private static final class AcceptAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // probe only
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // probe only
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
