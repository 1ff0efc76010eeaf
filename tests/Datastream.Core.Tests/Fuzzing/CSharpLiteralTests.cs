using Datastream.Core.Fuzzing;

namespace Datastream.Core.Tests.Fuzzing;

/// <summary>Fuzz failures are reported as C# literals meant to be pasted into a test: they must give back the same bytes.</summary>
public sealed class CSharpLiteralTests
{
    [Fact]
    public void Valid_utf8_is_an_ascii_u8_literal()
    {
        Assert.Equal("\"{\\\"\\\\udc00\\\":0}\"u8", CSharpLiteral.Of("{\"\\udc00\":0}"u8.ToArray()));
        Assert.Equal("\"\\u00E9\\U0001F600\\u0000\"u8", CSharpLiteral.Of("é😀\0"u8.ToArray()));
    }

    [Fact]
    public void Invalid_utf8_is_a_byte_array_of_the_valid_runs_and_the_invalid_bytes()
    {
        byte[] input = [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"', 0xFF];
        Assert.Equal("[.. \"\\\"\"u8, 0xED, 0xA0, 0x80, .. \"\\\"\"u8, 0xFF]", CSharpLiteral.Of(input));

        // The same expression in C#, as the report would be pasted:
        byte[] pasted = [.. "\""u8, 0xED, 0xA0, 0x80, .. "\""u8, 0xFF];
        Assert.Equal(input, pasted);
    }
}
