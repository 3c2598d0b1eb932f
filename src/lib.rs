//! TFA admin panel for ONLYOFFICE DocSpace.
