using System.Buffers.Binary;
using System.Text;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>
/// A restricted pickle machine: it understands the opcodes torch.save (protocol 2) and torch.jit.save write and
/// builds a tree of plain data (null, bool, long, double, string, byte[], <see cref="PickleTuple"/>,
/// <c>List&lt;object?&gt;</c>, <see cref="PickleDict"/>, <see cref="PickleObject"/>, <see cref="StorageReference"/>,
/// <see cref="TensorReference"/>). It never imports or calls anything: globals outside the
/// <see cref="GlobalPolicy"/> are refused, allowed ones are interpreted as data.
/// </summary>
public static class Unpickler
{
    /// <summary>The most values the stack may hold at once.</summary>
    public const int MaxStackDepth = 1_000_000;

    /// <summary>The most MARKs that may be open at once (deeper nesting is never written by torch).</summary>
    public const int MaxMarkDepth = 1_000;

    /// <summary>The most memo entries.</summary>
    public const int MaxMemoEntries = 1_000_000;

    /// <summary>The most values (including containers) one pickle may create.</summary>
    public const int MaxObjects = 10_000_000;

    /// <summary>Runs the pickle in <paramref name="data"/> and returns the value STOP leaves on the stack.</summary>
    /// <param name="data">The whole pickle.</param>
    /// <param name="policy">Which globals may appear.</param>
    /// <param name="sourceName">The name used in messages, e.g. <c>data.pkl</c>.</param>
    /// <exception cref="InvalidInputException">The pickle is malformed, exceeds a bound, or names a refused global.</exception>
    public static object? Load(ReadOnlySpan<byte> data, GlobalPolicy policy, string sourceName)
    {
        var machine = new Machine(data, policy, sourceName);
        return machine.Run();
    }

    private ref struct Machine(ReadOnlySpan<byte> data, GlobalPolicy policy, string source)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly List<object?> _stack = [];
        private readonly List<int> _marks = [];
        private readonly Dictionary<long, object?> _memo = [];
        private int _position;
        private int _opcodeStart;
        private int _created;

        public object? Run()
        {
            while (true)
            {
                _opcodeStart = _position;
                byte opcode = ReadByte();
                switch (opcode)
                {
                    case 0x80: // PROTO
                        byte protocol = ReadByte();
                        if (protocol > 5)
                        {
                            throw Malformed($"it declares pickle protocol {protocol}, which does not exist");
                        }

                        break;
                    case 0x95: // FRAME: framing is only a read-ahead hint, so its length is checked and ignored.
                        ulong frame = ReadUInt64();
                        if (frame > (ulong)(_data.Length - _position))
                        {
                            throw Malformed("a FRAME is longer than the rest of the input");
                        }

                        break;
                    case (byte)'c': // GLOBAL
                        string module = ReadLine();
                        string name = ReadLine();
                        Push(ResolveGlobal(module, name));
                        break;
                    case 0x93: // STACK_GLOBAL
                        object? globalName = Pop();
                        object? globalModule = Pop();
                        if (globalModule is not string stackModule || globalName is not string stackName)
                        {
                            throw Malformed("STACK_GLOBAL needs two strings");
                        }

                        Push(ResolveGlobal(stackModule, stackName));
                        break;
                    case (byte)'q': // BINPUT
                        Memoize(ReadByte());
                        break;
                    case (byte)'r': // LONG_BINPUT
                        Memoize(ReadUInt32());
                        break;
                    case 0x94: // MEMOIZE
                        Memoize(_memo.Count);
                        break;
                    case (byte)'h': // BINGET
                        Push(Recall(ReadByte()));
                        break;
                    case (byte)'j': // LONG_BINGET
                        Push(Recall(ReadUInt32()));
                        break;
                    case (byte)'(': // MARK
                        if (_marks.Count >= MaxMarkDepth)
                        {
                            throw Malformed($"more than {MaxMarkDepth} MARKs are open at once");
                        }

                        _marks.Add(_stack.Count);
                        break;
                    case (byte)'0': // POP
                        if (_marks.Count > 0 && _marks[^1] == _stack.Count)
                        {
                            // Python pops the mark itself when the stack above it is empty.
                            _marks.RemoveAt(_marks.Count - 1);
                        }
                        else
                        {
                            Pop();
                        }

                        break;
                    case (byte)'1': // POP_MARK
                        PopMark();
                        break;
                    case (byte)'2': // DUP
                        Push(Peek());
                        break;
                    case (byte)'}': // EMPTY_DICT
                        Push(Created(new PickleDict(isOrdered: false)));
                        break;
                    case (byte)']': // EMPTY_LIST
                        Push(Created(new List<object?>()));
                        break;
                    case (byte)')': // EMPTY_TUPLE
                        Push(PickleTuple.Empty);
                        break;
                    case (byte)'t': // TUPLE
                        Push(Created(new PickleTuple(PopMark())));
                        break;
                    case 0x85: // TUPLE1
                        Push(Created(new PickleTuple([Pop()])));
                        break;
                    case 0x86: // TUPLE2
                    {
                        object? second = Pop();
                        object? first = Pop();
                        Push(Created(new PickleTuple([first, second])));
                        break;
                    }

                    case 0x87: // TUPLE3
                    {
                        object? third = Pop();
                        object? second = Pop();
                        object? first = Pop();
                        Push(Created(new PickleTuple([first, second, third])));
                        break;
                    }

                    case (byte)'l': // LIST
                        Push(Created(PopMark()));
                        break;
                    case (byte)'d': // DICT
                    {
                        List<object?> items = PopMark();
                        var dict = Created(new PickleDict(isOrdered: false));
                        SetItems(dict, items);
                        Push(dict);
                        break;
                    }

                    case (byte)'s': // SETITEM
                    {
                        object? value = Pop();
                        object? key = Pop();
                        SetItems(PeekDict("SETITEM"), [key, value]);
                        break;
                    }

                    case (byte)'u': // SETITEMS
                    {
                        List<object?> items = PopMark();
                        SetItems(PeekDict("SETITEMS"), items);
                        break;
                    }

                    case (byte)'a': // APPEND
                    {
                        object? value = Pop();
                        PeekList("APPEND").Add(value);
                        break;
                    }

                    case (byte)'e': // APPENDS
                    {
                        List<object?> items = PopMark();
                        PeekList("APPENDS").AddRange(items);
                        break;
                    }

                    case (byte)'J': // BININT
                        Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)));
                        break;
                    case (byte)'K': // BININT1
                        Push((long)ReadByte());
                        break;
                    case (byte)'M': // BININT2
                        Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)));
                        break;
                    case 0x8a: // LONG1
                        Push(ReadLong(ReadByte()));
                        break;
                    case 0x8b: // LONG4
                        Push(ReadLong(ReadInt32Length()));
                        break;
                    case (byte)'G': // BINFLOAT
                        Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8)));
                        break;
                    case (byte)'X': // BINUNICODE
                        Push(Created(ReadUtf8(ReadUInt32())));
                        break;
                    case 0x8c: // SHORT_BINUNICODE
                        Push(Created(ReadUtf8(ReadByte())));
                        break;
                    case 0x8d: // BINUNICODE8
                        Push(Created(ReadUtf8(ReadUInt64())));
                        break;
                    case (byte)'T': // BINSTRING
                        Push(Created(Encoding.Latin1.GetString(Take(ReadInt32Length()))));
                        break;
                    case (byte)'U': // SHORT_BINSTRING
                        Push(Created(Encoding.Latin1.GetString(Take(ReadByte()))));
                        break;
                    case (byte)'B': // BINBYTES
                        Push(Created(Take(ReadUInt32()).ToArray()));
                        break;
                    case (byte)'C': // SHORT_BINBYTES
                        Push(Created(Take(ReadByte()).ToArray()));
                        break;
                    case (byte)'N': // NONE
                        Push(null);
                        break;
                    case 0x88: // NEWTRUE
                        Push(true);
                        break;
                    case 0x89: // NEWFALSE
                        Push(false);
                        break;
                    case (byte)'R': // REDUCE
                    {
                        object? arguments = Pop();
                        object? callable = Pop();
                        Push(Created(Reduce(callable, arguments)));
                        break;
                    }

                    case 0x81: // NEWOBJ
                    {
                        object? arguments = Pop();
                        object? type = Pop();
                        Push(Created(NewObject(type, arguments)));
                        break;
                    }

                    case (byte)'b': // BUILD
                        Build(Pop(), Peek());
                        break;
                    case (byte)'Q': // BINPERSID
                        Push(Created(PersistentLoad(Pop())));
                        break;
                    case (byte)'.': // STOP
                        if (_stack.Count != 1 || _marks.Count != 0)
                        {
                            throw Malformed($"STOP leaves {_stack.Count} values and {_marks.Count} open MARKs instead of one value");
                        }

                        return _stack[0];
                    default:
                        throw new InvalidInputException(
                            $"The pickle in {source} uses the opcode {OpcodeName(opcode)} at byte {_opcodeStart}, which a checkpoint " +
                            "never needs; the file was rejected and nothing in it was run.");
                }
            }
        }

        private PickleGlobal ResolveGlobal(string module, string name) =>
            policy.Resolve(module, name) ?? throw new InvalidInputException(
                $"The pickle in {source} references the global '{module} {name}', which a checkpoint never needs; " +
                "the file was rejected and nothing in it was run.");

        private object? Reduce(object? callable, object? arguments)
        {
            if (callable is not PickleGlobal global)
            {
                throw Malformed($"REDUCE calls a {Describe(callable)}, not a global");
            }

            PickleTuple args = arguments as PickleTuple ?? throw Malformed($"REDUCE of '{global.DisplayName}' has no argument tuple");
            switch (global.Kind)
            {
                case GlobalKind.OrderedDict when args.Count == 0:
                    return new PickleDict(isOrdered: true);
                case GlobalKind.RebuildTensorV2 when args.Count is >= 6 and <= 7:
                    return RebuildTensor(args);
                case GlobalKind.RebuildParameter when args.Count == 3:
                case GlobalKind.RebuildParameterWithState when args.Count == 4:
                    if (args.Items[0] is not TensorReference data || args.Items[1] is not bool requiresGrad)
                    {
                        throw Malformed($"'{global.DisplayName}' needs a tensor and a requires_grad flag");
                    }

                    return data with { RequiresGrad = requiresGrad };
                case GlobalKind.Device when args.Count is 1 or 2 && args.Items[0] is string device:
                    return device;
                case GlobalKind.JitListBuilder when args.Count == 1 && args.Items[0] is List<object?> list:
                    return list;
                case GlobalKind.JitRestoreTypeTag when args.Count == 2:
                    return args.Items[0];
                default:
                    throw new InvalidInputException(
                        $"The pickle in {source} calls '{global.DisplayName}' with {args.Count} arguments, which a checkpoint " +
                        "never does; the file was rejected and nothing in it was run.");
            }
        }

        private TensorReference RebuildTensor(PickleTuple args)
        {
            if (args.Items[0] is not StorageReference storage)
            {
                throw Malformed("_rebuild_tensor_v2 is not given a storage");
            }

            long offset = args.Items[1] as long? ?? throw Malformed("_rebuild_tensor_v2 is not given an integer storage offset");
            long[] size = IntegerTuple(args.Items[2], "size");
            long[] stride = IntegerTuple(args.Items[3], "stride");
            bool requiresGrad = args.Items[4] as bool? ?? throw Malformed("_rebuild_tensor_v2 is not given a requires_grad flag");
            if (size.Length != stride.Length)
            {
                throw Malformed($"_rebuild_tensor_v2 is given {size.Length} sizes but {stride.Length} strides");
            }

            return new TensorReference(storage, offset, size, stride, requiresGrad);
        }

        private long[] IntegerTuple(object? value, string what)
        {
            if (value is not PickleTuple tuple)
            {
                throw Malformed($"_rebuild_tensor_v2 is not given a {what} tuple");
            }

            var result = new long[tuple.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = tuple.Items[i] as long? ?? throw Malformed($"_rebuild_tensor_v2 is given a {what} that is not an integer");
            }

            return result;
        }

        private object NewObject(object? type, object? arguments)
        {
            if (type is PickleGlobal { Kind: GlobalKind.TorchScriptClass } scriptClass && arguments is PickleTuple)
            {
                return new PickleObject($"{scriptClass.Module}.{scriptClass.Name}");
            }

            if (type is PickleGlobal { Kind: GlobalKind.OrderedDict } && arguments is PickleTuple { Count: 0 })
            {
                return new PickleDict(isOrdered: true);
            }

            string name = type is PickleGlobal global ? $"'{global.DisplayName}'" : $"a {Describe(type)}";
            throw new InvalidInputException(
                $"The pickle in {source} creates an object of {name}, which a checkpoint never does; " +
                "the file was rejected and nothing in it was run.");
        }

        private void Build(object? state, object? target)
        {
            switch (target)
            {
                case PickleObject instance:
                    instance.State = state;
                    break;
                case PickleDict dict:
                    dict.Attributes = state;
                    break;
                default:
                    throw Malformed($"BUILD sets the state of a {Describe(target)}");
            }
        }

        private StorageReference PersistentLoad(object? id)
        {
            if (id is not PickleTuple { Count: 5 } tuple || tuple.Items[0] is not "storage")
            {
                throw Malformed("a persistent id is not a ('storage', type, key, location, size) tuple");
            }

            if (tuple.Items[1] is not PickleGlobal { Kind: GlobalKind.StorageType or GlobalKind.DType, DType: TensorDType dtype })
            {
                throw Malformed("a persistent id does not name a storage type");
            }

            if (tuple.Items[2] is not string key || !IsValidKey(key))
            {
                throw Malformed("a persistent id has a storage key that is not a plain name");
            }

            if (tuple.Items[3] is not string || tuple.Items[4] is not long count || count < 0)
            {
                throw Malformed($"the persistent id of storage '{key}' has no valid location and element count");
            }

            return new StorageReference(key, dtype, count);
        }

        private static bool IsValidKey(string key) =>
            key.Length is > 0 and <= 64 && key != "." && key != ".."
            && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

        private void SetItems(PickleDict dict, List<object?> items)
        {
            if (items.Count % 2 != 0)
            {
                throw Malformed("a dict is given a key without a value");
            }

            for (int i = 0; i < items.Count; i += 2)
            {
                dict.Set(items[i], items[i + 1]);
            }
        }

        private PickleDict PeekDict(string opcode) =>
            Peek() as PickleDict ?? throw Malformed($"{opcode} applies to a {Describe(Peek())}, not a dict");

        private List<object?> PeekList(string opcode) =>
            Peek() as List<object?> ?? throw Malformed($"{opcode} applies to a {Describe(Peek())}, not a list");

        private void Memoize(long index)
        {
            object? value = Peek();
            if (!_memo.ContainsKey(index) && _memo.Count >= MaxMemoEntries)
            {
                throw Malformed($"it stores more than {MaxMemoEntries} memo entries");
            }

            _memo[index] = value;
        }

        private object? Recall(long index) =>
            _memo.TryGetValue(index, out object? value) ? value : throw Malformed($"it reads memo slot {index}, which was never set");

        private void Push(object? value)
        {
            if (_stack.Count >= MaxStackDepth)
            {
                throw Malformed($"its stack grows beyond {MaxStackDepth} values");
            }

            _stack.Add(value);
        }

        private T Created<T>(T value)
        {
            if (++_created > MaxObjects)
            {
                throw Malformed($"it creates more than {MaxObjects} values");
            }

            return value;
        }

        private object? Pop()
        {
            int floor = _marks.Count > 0 ? _marks[^1] : 0;
            if (_stack.Count <= floor)
            {
                throw Malformed("an opcode pops a value from an empty stack");
            }

            object? value = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            return value;
        }

        private object? Peek()
        {
            int floor = _marks.Count > 0 ? _marks[^1] : 0;
            return _stack.Count > floor ? _stack[^1] : throw Malformed("an opcode reads a value from an empty stack");
        }

        private List<object?> PopMark()
        {
            if (_marks.Count == 0)
            {
                throw Malformed("an opcode needs a MARK that was never set");
            }

            int mark = _marks[^1];
            _marks.RemoveAt(_marks.Count - 1);
            List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
            _stack.RemoveRange(mark, _stack.Count - mark);
            return items;
        }

        private byte ReadByte() => Take(1)[0];

        private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        private int ReadInt32Length()
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
            return length >= 0 ? length : throw Malformed($"it gives the negative length {length}");
        }

        private ReadOnlySpan<byte> Take(ulong count)
        {
            // Every length comes from the file, so it is compared with what is really left before anything is sliced.
            if (count > (ulong)(_data.Length - _position))
            {
                throw Malformed(_position >= _data.Length
                    ? "it ends before a STOP opcode"
                    : $"it declares {count} bytes but only {_data.Length - _position} remain");
            }

            ReadOnlySpan<byte> slice = _data.Slice(_position, (int)count);
            _position += (int)count;
            return slice;
        }

        private ReadOnlySpan<byte> Take(long count) => Take((ulong)count);

        private string ReadUtf8(ulong length)
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
            }
            catch (DecoderFallbackException)
            {
                throw Malformed("a string is not valid UTF-8");
            }
        }

        private string ReadLine()
        {
            int end = _data[_position..].IndexOf((byte)'\n');
            if (end < 0)
            {
                throw Malformed("a GLOBAL name is not terminated by a newline");
            }

            string line = Encoding.ASCII.GetString(Take(end));
            _position++;
            return line;
        }

        private long ReadLong(int length)
        {
            // Python longs are arbitrary precision; a checkpoint only ever needs ones that fit in 64 bits.
            if (length > 8)
            {
                throw Malformed($"it holds a {length}-byte integer, larger than any checkpoint needs");
            }

            ReadOnlySpan<byte> bytes = Take(length);
            long value = 0;
            for (int i = length - 1; i >= 0; i--)
            {
                value = (value << 8) | bytes[i];
            }

            if (length is > 0 and < 8 && (bytes[length - 1] & 0x80) != 0)
            {
                value -= 1L << (8 * length);
            }

            return value;
        }

        private readonly InvalidInputException Malformed(string what) =>
            new($"The pickle in {source} is malformed or hostile: {what} (opcode at byte {_opcodeStart}); the file was rejected.");

        private static string Describe(object? value) => value switch
        {
            null => "None",
            PickleGlobal global => $"global '{global.DisplayName}'",
            PickleObject instance => $"'{instance.ClassName}' object",
            _ => value.GetType().Name,
        };

        private static string OpcodeName(byte opcode)
        {
            string? name = opcode switch
            {
                (byte)'i' => "INST",
                (byte)'o' => "OBJ",
                (byte)'P' => "PERSID",
                (byte)'I' => "INT",
                (byte)'L' => "LONG",
                (byte)'F' => "FLOAT",
                (byte)'S' => "STRING",
                (byte)'V' => "UNICODE",
                (byte)'g' => "GET",
                (byte)'p' => "PUT",
                0x82 => "EXT1",
                0x83 => "EXT2",
                0x84 => "EXT4",
                0x8e => "BINBYTES8",
                0x8f => "EMPTY_SET",
                0x90 => "ADDITEMS",
                0x91 => "FROZENSET",
                0x92 => "NEWOBJ_EX",
                0x96 => "BYTEARRAY8",
                0x97 => "NEXT_BUFFER",
                0x98 => "READONLY_BUFFER",
                _ => null,
            };
            return name is null ? $"0x{opcode:X2}" : $"{name} (0x{opcode:X2})";
        }
    }
}
