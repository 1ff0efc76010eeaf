using System.Runtime.InteropServices;
using SQLitePCL;

namespace Datastream.Embedded;

/// <summary>
/// SQLite's C API called directly on the e_sqlite3 library that Microsoft.Data.Sqlite loads, for the calls
/// <see cref="PreparedStatement"/> makes per row. Written by hand because SQLitePCL.raw routes every call through its
/// provider interface and marshals the statement as a SafeHandle (an AddRef and a Release per call): with ~20 binds
/// per ride that was ~2 % of a whole run's CPU, all of it on the index writer's thread, which bounds the run
/// (perf, 2M-ride run). The SafeHandles still own the statement and the connection; these take their raw pointers.
/// Only blittable parameters, so each call is a plain native call.
/// </summary>
internal static class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_TRANSIENT: SQLite copies a bound blob before the call returns.</summary>
    private static readonly IntPtr Transient = new(-1);

    /// <summary>A byte to point at for an empty blob: a null pointer would bind NULL instead.</summary>
    private static readonly byte[] EmptyBlob = [0];

    /// <summary>Throws unless SQLitePCL runs on the library these calls go to (handles of another build must not reach it).</summary>
    public static void EnsureSameLibrary()
    {
        var name = raw.GetNativeLibraryName();
        if (name != Library)
        {
            throw new InvalidOperationException($"SQLite is provided by '{name}'; the embedded engines call '{Library}' directly and need that provider");
        }
    }

    public static int BindBlob(IntPtr statement, int index, ReadOnlySpan<byte> value) =>
        value.IsEmpty
            ? sqlite3_bind_blob(statement, index, ref EmptyBlob[0], 0, Transient)
            : sqlite3_bind_blob(statement, index, ref MemoryMarshal.GetReference(value), value.Length, Transient);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int sqlite3_bind_int64(IntPtr statement, int index, long value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int sqlite3_bind_double(IntPtr statement, int index, double value);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int sqlite3_bind_blob(IntPtr statement, int index, ref byte value, int length, IntPtr destructor);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int sqlite3_step(IntPtr statement);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int sqlite3_reset(IntPtr statement);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long sqlite3_column_int64(IntPtr statement, int index);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern double sqlite3_column_double(IntPtr statement, int index);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern int sqlite3_changes(IntPtr connection);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    public static extern long sqlite3_last_insert_rowid(IntPtr connection);
}
