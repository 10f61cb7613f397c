using System.ComponentModel;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// The last parameter of a schema's generated constructor, so that it can never have the signature of a constructor
/// the user declared (one taking the session store, for instance). Applications do not use this type.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SchemaConstructorToken;
