using System.Text;
using Datastream.Core.Rides;

namespace Datastream.Core.Tests;

public sealed class JsonEscapesTests
{
    [Theory]
    [InlineData(@"plain", false)]
    [InlineData(@"\u0041\n\\u0041", false)]
    [InlineData(@"\ud83d\ude00", false)]
    [InlineData(@"\uD83D\uDE00 and more", false)]
    [InlineData(@"\ud800", true)]
    [InlineData(@"\udc00", true)]
    [InlineData(@"\ud800x", true)]
    [InlineData(@"\ud800\n", true)]
    [InlineData(@"\ud800\ud800\udc00", true)]
    [InlineData(@"\ude00\ud83d", true)]
    [InlineData(@"\\ud800", false)]
    [InlineData(@"{""a"":""\ud800""}", true)]
    public void Finds_surrogates_that_are_not_half_of_a_pair(string escaped, bool lone)
        => Assert.Equal(lone, JsonEscapes.HasLoneSurrogate(Encoding.ASCII.GetBytes(escaped)));
}
