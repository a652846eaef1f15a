/**
 * The demo's own lines in English: everything it says besides the sign-in screens, whose words
 * come from the SDK's message catalog (`message(key, locale)`). Korean and Traditional Chinese
 * follow the same shape (`ko-KR.ts`, `zh-TW.ts`); the usage text and the diagnostics on stderr
 * stay in English.
 */
export const en = {
  // The frame: first and last lines, and the buttons every question may have.
  intro: (interactive: boolean) =>
    `smartcard-2fa demo: two-factor sign-in with a smart card (${interactive ? 'interactive' : 'scripted'})`,
  settings: (card: string, locale: string, format: string, state: string | undefined) =>
    [
      `card: ${card}`,
      `locale: ${locale}`,
      `request format: ${format}`,
      `state: ${state ?? 'in memory (--state <dir> keeps it)'}`,
    ].join(' · '),
  scriptedAnswers:
    'Scripted: fixed answers, the default PIN at the station, then the demo PIN (--help).',
  done: 'Done. Run it with --state <dir> to keep the card for a second run.',
  doneKept: (directory: string) =>
    `Done. The card is kept in ${directory}: run again with the same --state to sign in with it.`,
  cancelled: 'Cancelled.',
  yes: 'Yes',
  no: 'No',
  ok: 'OK',
  cancel: 'Cancel',
  typeSomething: 'Type an answer.',
  /** A label and what follows it: "Exit: Ends your session…". */
  labelled: (label: string, text: string) => `${label}: ${text}`,
  /** A yes/no question made of a button's label and what the button does. */
  question: (label: string, effect: string) => `${label}? ${effect}`,
  /** Under a menu: the keys, then what they do. */
  menuKeys: { navigate: 'to navigate', confirm: 'confirm' },
  card: { physical: 'physical card', virtual: 'virtual card' },

  // A card an earlier run enrolled.
  alreadyEnrolled: 'Enrollment: already done',
  foundCard: (card: string, serial: string, day: string, directory: string) =>
    `Found the ${card} ${serial}, enrolled on ${day} by an earlier run, in ${directory}: skipping enrollment.`,
  itsCertificate: 'Its certificate',
  validTo: 'Valid to',
  unsealed: (deviceId: string) =>
    `The virtual card is unsealed by this computer's TPM (device ${deviceId}).`,

  // The certificate authority.
  caSection: 'The certificate authority',
  caCreating: 'Creating the embedded CA: RSA-2048 root and issuing CA keys…',
  caCreated: 'Contoso Root CA → Contoso Issuing CA, answering as AD CS does (certsrv)',
  caReplaced:
    'A new CA: the embedded CA cannot save its keys, so the earlier CA is gone; its certificates stay trusted for the cards it issued.',

  // The enrollment station: the AD CS Smartcard User enrollment form.
  stationSection: 'Enrollment station',
  loggedOn: (account: string) =>
    `Logged on to https://ca.contoso.com/certsrv as ${account}: Request a certificate → Advanced Request → Create and submit a request to this CA.`,
  stationTitle: 'Smart Card Enrollment Station',
  field: {
    template: 'Certificate Template',
    keySet: 'Key set',
    csp: 'CSP',
    keyUsage: 'Key usage, size',
    format: 'Request format',
    hash: 'Hash algorithm',
    friendlyName: 'Friendly name',
  },
  newKeySet: 'Create new key set',
  exchange: (bits: number) => `Exchange, ${bits}`,
  insertBlank: (id: string) =>
    `Insert your blank smart card (${id}) into the card reader attached to the enrollment station, and click Enroll.`,
  enroll: 'Enroll',
  stationReader: 'Enrollment station',
  inReader: (id: string, reader: string) => `The card ${id} is in the reader "${reader}".`,
  virtualCard: (id: string, deviceId: string) =>
    `A virtual smart card ${id} on this computer's TPM (device ${deviceId}), as \`tpmvscmgr create /name Alice /pin default /adminkey default\` makes it: nothing to insert.`,
  pinRules: (min: number, max: number, digitsOnly: boolean) =>
    `A PIN has ${min} to ${max} ${digitsOnly ? 'digits' : 'characters: letters, digits, spaces and punctuation'}.`,
  newPinRules: (defaultPin: string, notCurrent: boolean) =>
    `A new PIN must not be the default PIN ${defaultPin}, one character repeated (such as 11111111) or a run (such as 12345678 or 87654321)${notCurrent ? ', nor your current PIN' : ''}.`,
  stationPin: (defaultPin: string) =>
    `Enter the smart card's PIN (none assigned? the default is ${defaultPin}), then OK.`,
  noPinAssigned: (defaultPin: string) => `No PIN assigned? The default PIN is ${defaultPin}.`,
  forceChange: 'Force the user to change the PIN the first time the smart card is used?',
  generating: 'Generating an RSA-2048 key pair on the card…',
  submitting: (seconds: string) =>
    `Key generated on the card in ${seconds} s; submitting the request…`,
  issued: (seconds: string) =>
    `RSA-2048 key generated on the card in ${seconds} s; the CA issued a certificate`,
  theCertificate: 'The certificate',
  certificate: {
    subject: 'Subject',
    issuer: 'Issuer',
    upn: 'UPN',
    email: 'E-mail',
    ekus: 'EKUs',
    validity: 'Validity',
    serial: 'Serial',
    none: '(none)',
    range: (from: string, to: string) => `${from} to ${to}`,
  },
  confirmCertificate:
    'Click OK to confirm that the certificate displayed has your information on it.',
  installing: 'Installing the certificate…',
  markingPin: 'Marking the PIN for change on first use…',
  notEnrolled: 'Not enrolled',
  installed: (requestId: number) => `Certificate installed (request ${requestId})`,
  enrolled: (card: string, id: string, changeAtFirstUse: boolean) =>
    `The certificate has been issued and installed on the ${card} ${id}.${changeAtFirstUse ? ' The PIN must be changed at first use.' : ''}`,
  saved: (directory: string) => `Saved the card and the CA certificates in ${directory}.`,

  // Signing in: the Lync/Skype for Business two-factor procedure.
  signInSection: 'Sign in',
  laptopReader: "Alice's laptop",
  serverEnds: (address: string) => `(the server ends ${address}'s session)`,
  serverListens: (url: string) =>
    `The sign-in server listens on ${url} (the sign-in goes over HTTP).`,
  serverRefused: (route: string, reason: string) =>
    `(the server's log: ${route} refused, ${reason})`,
  playsReader: (reader: string, id: string) =>
    `The demo plays the reader "${reader}": Insert puts the card ${id} in.`,
  insertCard: 'Insert the card',
  adminKeyFormat:
    "An administrator key is 48 hexadecimal digits (24 bytes); spaces are allowed. The demo's virtual cards have the default key, 01 02 03 04 05 06 07 08 three times: type default for it.",
  adminKeyDigits: (typed: number) =>
    `An administrator key is 32, 48 or 64 hexadecimal digits (0-9, A-F), spaces allowed, or default; this has ${typed}.`,
  adminKeyNotHex:
    'An administrator key has only hexadecimal digits (0-9, A-F) and spaces, or is default.',
  notification: 'A notification arrives (demo)',
  unread: (count: number) => ` (${count} unread)`,
  deleted: 'done.',
  signedOut: (address: string) =>
    address === ''
      ? 'Signed out. The sign-in address is deleted.'
      : `Signed out. The sign-in address is kept: ${address}.`,
  signedIn: (address: string, card: string | undefined) =>
    `Signed in as ${address}${card === undefined ? '' : ` with the ${card}`}.`,
};

/** The demo's own lines in one language. */
export type DemoTexts = typeof en;
