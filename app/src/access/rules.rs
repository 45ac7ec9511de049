//! Who may read what, without any web or database (R3.2). Every read path of the customer's
//! side asks `Reader::may_read`; the office (staff) reads everything of its broker, which the
//! queries' broker scope already ensures. Unit-tested here.

use serde::{Deserialize, Serialize};

use crate::ids::{ContractId, CustomerId, DocumentId, GrantId, UserId};

/// The rows of R3.2 that need a grant (the policyholder's own access needs none).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = GrantRole))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantRole {
    /// A natural person's insured person (a child, a partner): that one contract.
    Insured,
    /// Someone else for a natural person: a listed set of contracts.
    Other,
    /// A company's legal representative: all contracts, also future ones.
    LegalRepresentative,
    /// Someone else for a company (a bookkeeper): a listed set.
    OtherForEntity,
}

impl GrantRole {
    pub const ALL: [GrantRole; 4] =
        [GrantRole::Insured, GrantRole::Other, GrantRole::LegalRepresentative, GrantRole::OtherForEntity];

    pub fn as_str(self) -> &'static str {
        match self {
            GrantRole::Insured => "insured",
            GrantRole::Other => "other",
            GrantRole::LegalRepresentative => "legal_representative",
            GrantRole::OtherForEntity => "other_for_entity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        GrantRole::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// Whether the folder is a company's (legal entity) for this row, or a natural person's.
    pub fn for_company(self) -> bool {
        matches!(self, GrantRole::LegalRepresentative | GrantRole::OtherForEntity)
    }

    /// The roles a folder offers: a company's or a person's.
    pub fn for_folder(company: bool) -> [GrantRole; 2] {
        if company {
            [GrantRole::LegalRepresentative, GrantRole::OtherForEntity]
        } else {
            [GrantRole::Insured, GrantRole::Other]
        }
    }

    /// The row's "contracts visible": all (also future ones) or a listed set.
    pub fn sees_all(self) -> bool {
        self == GrantRole::LegalRepresentative
    }

    /// Acts for the folder's holder: may ask for changes of the record (address, bank
    /// account), send files and see the folder's own conversations.
    pub fn acts_for_holder(self) -> bool {
        self == GrantRole::LegalRepresentative
    }
}

/// How a mandate was signed (R3.1).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Signature))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signature {
    Qualified,
    Eid,
    Handwritten,
}

impl Signature {
    pub const ALL: [Signature; 3] = [Signature::Qualified, Signature::Eid, Signature::Handwritten];

    pub fn as_str(self) -> &'static str {
        match self {
            Signature::Qualified => "qualified",
            Signature::Eid => "eid",
            Signature::Handwritten => "handwritten",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Signature::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// Which contracts of a folder a reader sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Every contract, also those added later.
    All,
    /// These and no others; the set does not grow by itself.
    Contracts(Vec<ContractId>),
}

impl Scope {
    pub fn covers(&self, contract: ContractId) -> bool {
        match self {
            Scope::All => true,
            Scope::Contracts(set) => set.contains(&contract),
        }
    }
}

/// What access to a folder rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basis {
    /// The policyholder's own folder (R3.2, first row: no form).
    Own,
    /// A grant on a signed mandate.
    Grant {
        id: GrantId,
        role: GrantRole,
        /// ISO date of the written request.
        requested_on: String,
        /// The signed form, a document of the folder.
        form: Option<DocumentId>,
    },
}

/// One folder an account reaches, and how far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderAccess {
    pub customer_id: CustomerId,
    /// The folder's name: the company's, else the person's.
    pub name: String,
    pub basis: Basis,
    pub scope: Scope,
}

impl FolderAccess {
    pub fn own(customer_id: CustomerId, name: String) -> Self {
        FolderAccess { customer_id, name, basis: Basis::Own, scope: Scope::All }
    }

    /// The policyholder, or a company's legal representative: may ask for changes of the
    /// folder's record, send files into it and see the conversations it holds as its own.
    pub fn acts_for_holder(&self) -> bool {
        match &self.basis {
            Basis::Own => true,
            Basis::Grant { role, .. } => role.acts_for_holder(),
        }
    }

    pub fn grant(&self) -> Option<GrantId> {
        match &self.basis {
            Basis::Own => None,
            Basis::Grant { id, .. } => Some(*id),
        }
    }

    /// The signed form the access rests on.
    pub fn form(&self) -> Option<DocumentId> {
        match &self.basis {
            Basis::Own => None,
            Basis::Grant { form, .. } => *form,
        }
    }
}

/// Whose conversation it is on the customer's side: the folder's holder's (`None`), or the
/// person with a grant who started it (their questions are their own).
pub type ConversationOwner = Option<UserId>;

/// Something in a folder that someone wants to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// The folder itself (its name, its totals).
    Folder,
    Contract(ContractId),
    /// A document: filed under a contract or not, attached to a conversation's message or not.
    Document {
        id: DocumentId,
        contract: Option<ContractId>,
        conversation: Option<ConversationOwner>,
    },
    Conversation(ConversationOwner),
    /// A file uploaded for a message not sent yet, by the office or by the customer's side.
    Draft {
        office: bool,
    },
}

/// The person asking, as far as the customer's side goes: staff read everything of their
/// broker; a person reads what their folders allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reader {
    Staff,
    Person { user_id: UserId, folders: Vec<FolderAccess> },
}

impl Reader {
    /// The access to one folder, if the person has any.
    pub fn folder(&self, customer_id: CustomerId) -> Option<&FolderAccess> {
        match self {
            Reader::Staff => None,
            Reader::Person { folders, .. } => folders.iter().find(|f| f.customer_id == customer_id),
        }
    }

    /// The one answer to "may this account read this thing": every list, page, download,
    /// preview and conversation of the customer's side asks here.
    pub fn may_read(&self, customer_id: CustomerId, item: Item) -> bool {
        let (user_id, access) = match self {
            Reader::Staff => return true,
            Reader::Person { user_id, .. } => match self.folder(customer_id) {
                Some(access) => (*user_id, access),
                None => return false,
            },
        };
        match item {
            Item::Folder => true,
            Item::Contract(contract) => access.scope.covers(contract),
            Item::Conversation(owner) => owner_sees(access, user_id, owner),
            // Only who may send files into the folder has drafts there.
            Item::Draft { office } => !office && access.acts_for_holder(),
            // The signed form a person's access rests on is theirs to see (R3.4).
            Item::Document { id, contract, conversation } => {
                access.form() == Some(id)
                    || match (contract, conversation) {
                        (_, Some(owner)) => owner_sees(access, user_id, owner),
                        (Some(contract), None) => access.scope.covers(contract),
                        (None, None) => access.scope == Scope::All,
                    }
            }
        }
    }
}

fn owner_sees(access: &FolderAccess, user_id: UserId, owner: ConversationOwner) -> bool {
    match owner {
        None => access.acts_for_holder(),
        Some(owner) => owner == user_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNA: UserId = UserId(1);
    const MAX: UserId = UserId(2);
    const FOLDER: CustomerId = CustomerId(10);
    const OTHER_FOLDER: CustomerId = CustomerId(11);
    const HOUSE: ContractId = ContractId(100);
    const CAR: ContractId = ContractId(101);
    const FORM: DocumentId = DocumentId(7);
    const LETTER: DocumentId = DocumentId(8);

    fn doc(contract: Option<ContractId>, conversation: Option<ConversationOwner>) -> Item {
        Item::Document { id: LETTER, contract, conversation }
    }

    fn grant(role: GrantRole, scope: Scope) -> FolderAccess {
        FolderAccess {
            customer_id: FOLDER,
            name: "Anna Schneider".into(),
            basis: Basis::Grant { id: GrantId(5), role, requested_on: "2026-03-01".into(), form: Some(FORM) },
            scope,
        }
    }

    fn person(user_id: UserId, access: FolderAccess) -> Reader {
        Reader::Person { user_id, folders: vec![access] }
    }

    #[test]
    fn the_policyholder_reads_the_whole_folder_and_no_other() {
        let anna = person(ANNA, FolderAccess::own(FOLDER, "Anna".into()));
        for item in [
            Item::Folder,
            Item::Contract(HOUSE),
            Item::Contract(ContractId(999)),
            doc(None, None),
            Item::Conversation(None),
        ] {
            assert!(anna.may_read(FOLDER, item), "{item:?}");
            assert!(!anna.may_read(OTHER_FOLDER, item), "{item:?}");
        }
        // A question someone with a grant asked is theirs, not the policyholder's.
        assert!(!anna.may_read(FOLDER, Item::Conversation(Some(MAX))));
        assert!(!anna.may_read(FOLDER, doc(Some(HOUSE), Some(Some(MAX)))));
        // A file the office is preparing for a message is not the customer's yet.
        assert!(anna.may_read(FOLDER, Item::Draft { office: false }));
        assert!(!anna.may_read(FOLDER, Item::Draft { office: true }));
    }

    #[test]
    fn a_listed_grant_reads_its_contracts_and_their_documents_only() {
        let max = person(MAX, grant(GrantRole::Other, Scope::Contracts(vec![HOUSE])));
        assert!(max.may_read(FOLDER, Item::Folder));
        assert!(max.may_read(FOLDER, Item::Contract(HOUSE)));
        assert!(!max.may_read(FOLDER, Item::Contract(CAR)));
        assert!(max.may_read(FOLDER, doc(Some(HOUSE), None)));
        assert!(!max.may_read(FOLDER, doc(Some(CAR), None)));
        assert!(!max.may_read(FOLDER, doc(None, None)));
        // The signed form of their own access, though filed under no contract.
        assert!(max.may_read(FOLDER, Item::Document { id: FORM, contract: None, conversation: None }));
        assert!(!max.may_read(OTHER_FOLDER, Item::Document { id: FORM, contract: None, conversation: None }));
        // Their own questions and what the office attached there; not the holder's mail.
        assert!(max.may_read(FOLDER, Item::Conversation(Some(MAX))));
        assert!(max.may_read(FOLDER, doc(None, Some(Some(MAX)))));
        assert!(!max.may_read(FOLDER, Item::Conversation(None)));
        assert!(!max.may_read(FOLDER, Item::Conversation(Some(ANNA))));
        assert!(!max.may_read(FOLDER, doc(Some(HOUSE), Some(None))));
        assert!(!max.may_read(OTHER_FOLDER, Item::Contract(HOUSE)));
        assert!(!max.folder(FOLDER).unwrap().acts_for_holder());
        assert!(!max.may_read(FOLDER, Item::Draft { office: false }));
    }

    #[test]
    fn a_legal_representative_acts_for_the_company() {
        let rep = person(MAX, grant(GrantRole::LegalRepresentative, Scope::All));
        assert!(rep.may_read(FOLDER, Item::Contract(CAR)));
        assert!(rep.may_read(FOLDER, doc(None, None)));
        assert!(rep.may_read(FOLDER, Item::Conversation(None)));
        assert!(!rep.may_read(FOLDER, Item::Conversation(Some(ANNA))));
        assert!(rep.folder(FOLDER).unwrap().acts_for_holder());
    }

    #[test]
    fn staff_read_everything_of_their_broker() {
        assert!(Reader::Staff.may_read(FOLDER, Item::Conversation(Some(MAX))));
        assert_eq!(Reader::Staff.folder(FOLDER), None);
    }

    #[test]
    fn the_rows_of_the_table() {
        for role in GrantRole::ALL {
            assert_eq!(GrantRole::parse(role.as_str()), Some(role));
            assert!(GrantRole::for_folder(role.for_company()).contains(&role));
        }
        assert!(GrantRole::LegalRepresentative.sees_all());
        assert!(
            !GrantRole::Insured.sees_all()
                && !GrantRole::Other.sees_all()
                && !GrantRole::OtherForEntity.sees_all()
        );
        assert_eq!(GrantRole::parse("policyholder"), None);
        assert_eq!(Signature::parse("eid"), Some(Signature::Eid));
    }
}
