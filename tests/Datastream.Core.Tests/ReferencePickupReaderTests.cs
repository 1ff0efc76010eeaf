using Datastream.Core.Reference;

namespace Datastream.Core.Tests;

public sealed class ReferencePickupReaderTests
{
    [Theory]
    [InlineData("date,lat,lon,ID\r\n2014-08-01 00:00:00,40.729,-73.9422,B02598\r\n2014-08-01 00:00:00,40.7476,-73.9871,B02598")]
    [InlineData("Date/Time,Lat,Lon,Base\n8/1/2014 0:00:00,40.729,-73.9422,B02598\n8/1/2014 0:00:00,40.7476,-73.9871,B02598\n")]
    public void ReadsBothHeaders_CrlfOrLf_WithOrWithoutFinalNewline(string csv)
    {
        var points = ReferencePickupReader.Read(new StringReader(csv), "ref.csv");
        Assert.Equal(2, points.Count);
        Assert.Equal(40.729, points[0].Lat);
        Assert.Equal(-73.9871, points[1].Lon);
    }

    [Theory]
    [InlineData("date,lat,lon,ID\n2014,40.7,-73.9,B\n2014,north,-73.9,B", 3, "lat 'north'")]
    [InlineData("date,lat,lon,ID\n2014,40.7,-73.9,B\n2014,40.7,-73.9", 3, "expected 4 fields")]
    [InlineData("date,lat,lon,ID\n2014,95,-73.9,B", 2, "outside")]
    [InlineData("when,where\n2014,x", 1, "no lat and lon")]
    [InlineData("", 1, "empty")]
    [InlineData("date,lat,lon,ID\n", 1, "no points")]
    public void BadLines_AreReportedWithTheirLineNumber(string csv, int line, string reason)
    {
        var error = Assert.Throws<ReferenceFormatException>(() => ReferencePickupReader.Read(new StringReader(csv), "ref.csv"));
        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith($"ref.csv:{line}:", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void ReadsTheCourseReferenceFile()
    {
        string path = SharedData.PathOf("uber-split2.csv");
        using var reader = new StreamReader(path);
        var points = ReferencePickupReader.Read(reader, path);
        Assert.Equal(2957, points.Count);
        Assert.All(points, p => Assert.InRange(p.Lat, 40, 42));
    }
}
