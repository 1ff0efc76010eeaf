using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Datastream.Elasticsearch;

/// <summary>
/// Validates the cluster's TLS certificate against one CA (Elasticsearch's own, from a file) instead of the
/// system's trust store: the chain must end in that CA and the name must match the URL's host.
/// </summary>
internal sealed class CertificateAuthority(X509Certificate2 authority)
{
    /// <summary>Reads a PEM (Elasticsearch's http_ca.crt) or DER certificate file; of a PEM bundle, the first certificate.</summary>
    public static CertificateAuthority FromFile(string path)
    {
        string text = File.ReadAllText(path);
        return new(text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificateFromFile(path));
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(authority);
        // A private CA publishes no revocation lists the client could reach.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return certificate is X509Certificate2 leaf
            ? custom.Build(leaf)
            : custom.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
