/**
 * Internal slots: the one way an object of the SDK reaches what another keeps to itself (a
 * TPM's card-state sealing, a physical card's socket), without a public method or an exported
 * setter. Internal: never exported from the package.
 *
 * The module that owns a class declares its slot beside it, the class fills it for each object
 * it makes (in its constructor, from inside the class, where its `#private` fields are in
 * reach), and only the modules that import the slot can read it. An object the class did not
 * make (a look-alike, a subclass instance made by `Object.create`) has no value in the slot:
 * `get` throws, `find` answers `undefined`. A slot holds its values weakly, so an object and
 * its internals are collected together.
 */
import { InvalidInputError } from '../errors.js';

/** A value kept for each object of one kind, set once by the code that makes the object. */
export class InternalSlot<Owner extends object, Value> {
  /** What the slot holds, for error messages: `SoftwareTpm card sealing`, say. */
  readonly name: string;
  readonly #values = new WeakMap<object, Value>();

  constructor(name: string) {
    this.name = name;
  }

  /**
   * Gives `owner` its value. Once per object: a second `set` is refused, so nothing can swap an
   * object's internals after it was made.
   */
  set(owner: Owner, value: Value): void {
    this.#check(!this.#values.has(owner), 'is set already');
    this.#values.set(owner, value);
  }

  /**
   * The value set for `owner`.
   *
   * @throws `InvalidInputError` when `owner` has none: it was not made by the class that owns
   * the slot.
   */
  get(owner: Owner): Value {
    this.#check(this.#values.has(owner), 'is missing: the SDK did not make this object');
    return this.#values.get(owner) as Value;
  }

  /** The value set for `owner`, or `undefined` for any object that has none (of any kind). */
  find(owner: object): Value | undefined {
    return this.#values.get(owner);
  }

  #check(ok: boolean, problem: string): void {
    if (!ok) throw new InvalidInputError(`The ${this.name} of this object ${problem}.`);
  }
}

/** A new, empty slot named for its error messages; see {@link InternalSlot}. */
export function internalSlot<Owner extends object, Value>(
  name: string,
): InternalSlot<Owner, Value> {
  return new InternalSlot<Owner, Value>(name);
}
